using Microsoft.EntityFrameworkCore;

namespace Berth.Manager.Data;

/// <summary>
/// The manager's schema. Each database provider has its own subclass so each keeps its own
/// migrations (SQLite and PostgreSQL DDL differ); code depends on this base type only.
/// </summary>
public abstract class BerthDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<UserEntity> Users => Set<UserEntity>();
    public DbSet<KeyPairEntity> KeyPairs => Set<KeyPairEntity>();
    public DbSet<AuditEventEntity> AuditEvents => Set<AuditEventEntity>();
    public DbSet<ProjectEntity> Projects => Set<ProjectEntity>();
    public DbSet<ProjectMemberEntity> ProjectMembers => Set<ProjectMemberEntity>();
    public DbSet<VFolderEntity> VFolders => Set<VFolderEntity>();
    public DbSet<VFolderShareEntity> VFolderShares => Set<VFolderShareEntity>();
    public DbSet<ImageEntity> Images => Set<ImageEntity>();
    public DbSet<SessionEntity> Sessions => Set<SessionEntity>();
    public DbSet<SessionStatusChangeEntity> SessionHistory => Set<SessionStatusChangeEntity>();
    public DbSet<KernelEntity> Kernels => Set<KernelEntity>();
    public DbSet<AgentEntity> Agents => Set<AgentEntity>();
    public DbSet<ResourceGroupEntity> ResourceGroups => Set<ResourceGroupEntity>();
    public DbSet<ResourceGroupGrantEntity> ResourceGroupGrants => Set<ResourceGroupGrantEntity>();
    public DbSet<ResourcePresetEntity> ResourcePresets => Set<ResourcePresetEntity>();
    public DbSet<ResourcePolicyEntity> ResourcePolicies => Set<ResourcePolicyEntity>();
    public DbSet<LaunchHistoryEntity> LaunchHistory => Set<LaunchHistoryEntity>();
    public DbSet<IdempotencyRecordEntity> IdempotencyRecords => Set<IdempotencyRecordEntity>();

    public abstract string ProviderName { get; }

    protected override void OnModelCreating(ModelBuilder b)
    {
        b.Entity<UserEntity>(e =>
        {
            e.ToTable("users");
            e.HasIndex(u => u.Email).IsUnique();
            e.Property(u => u.Email).HasMaxLength(320);
            e.Property(u => u.Role).HasConversion<string>().HasMaxLength(16);
        });
        b.Entity<KeyPairEntity>(e =>
        {
            e.ToTable("keypairs");
            e.HasKey(k => k.AccessKey);
            e.Property(k => k.AccessKey).HasMaxLength(64);
            e.Property(k => k.SecretCipher).HasMaxLength(256);
            e.Property(k => k.CreatedFrom).HasMaxLength(64);
            e.Property(k => k.Label).HasMaxLength(64);
            e.HasIndex(k => k.UserId);
            e.HasOne(k => k.User).WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<AuditEventEntity>(e =>
        {
            e.ToTable("audit_events");
            e.Property(a => a.Email).HasMaxLength(320);
            e.Property(a => a.Action).HasMaxLength(64);
            e.Property(a => a.Target).HasMaxLength(200);
            e.Property(a => a.Outcome).HasMaxLength(16);
            e.Property(a => a.ClientAddress).HasMaxLength(64);
            e.Property(a => a.Detail).HasMaxLength(300);
            e.HasIndex(a => a.At);
            e.HasIndex(a => new { a.Action, a.At });
        });
        b.Entity<ProjectEntity>(e =>
        {
            e.ToTable("projects");
            e.HasIndex(p => p.Name).IsUnique();
            e.Property(p => p.Name).HasMaxLength(64);
        });
        b.Entity<ProjectMemberEntity>(e =>
        {
            e.ToTable("project_members");
            e.HasKey(m => new { m.ProjectId, m.UserId });
            e.HasOne(m => m.Project).WithMany(p => p.Members).HasForeignKey(m => m.ProjectId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(m => m.User).WithMany(u => u.Memberships).HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<VFolderEntity>(e =>
        {
            e.ToTable("vfolders");
            e.Property(f => f.Name).HasMaxLength(64);
            e.Property(f => f.Host).HasMaxLength(64);
            e.Property(f => f.UsageMode).HasConversion<string>().HasMaxLength(16);
            e.Property(f => f.Permission).HasConversion<string>().HasMaxLength(24);
            e.Property(f => f.Status).HasConversion<string>().HasMaxLength(24);
            e.Ignore(f => f.Ownership);
            // The database, not only the service, guarantees one name per owner even under concurrent creates.
            e.HasIndex(f => new { f.OwnerUserId, f.Name }).IsUnique();
            e.HasIndex(f => new { f.OwnerProjectId, f.Name }).IsUnique();
            e.HasOne(f => f.OwnerUser).WithMany().HasForeignKey(f => f.OwnerUserId).OnDelete(DeleteBehavior.Restrict);
            e.HasOne(f => f.OwnerProject).WithMany().HasForeignKey(f => f.OwnerProjectId).OnDelete(DeleteBehavior.Restrict);
        });
        b.Entity<VFolderShareEntity>(e =>
        {
            e.ToTable("vfolder_shares");
            e.HasKey(s => new { s.VFolderId, s.UserId });
            e.Property(s => s.Permission).HasConversion<string>().HasMaxLength(24);
            e.HasOne(s => s.VFolder).WithMany(f => f.Shares).HasForeignKey(s => s.VFolderId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne(s => s.User).WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<ImageEntity>(e =>
        {
            e.ToTable("images");
            e.Property(i => i.Name).HasMaxLength(128);
            e.Property(i => i.Reference).HasMaxLength(512);
            e.HasIndex(i => new { i.OwnerUserId, i.Name }).IsUnique();
            e.HasOne(i => i.OwnerUser).WithMany().HasForeignKey(i => i.OwnerUserId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<SessionEntity>(e =>
        {
            e.ToTable("sessions");
            e.Property(s => s.Name).HasMaxLength(64);
            e.Property(s => s.Status).HasConversion<string>().HasMaxLength(16);
            e.Property(s => s.Type).HasConversion<string>().HasMaxLength(16);
            e.HasIndex(s => new { s.OwnerUserId, s.Name });
            e.HasIndex(s => s.Status);
            e.HasOne(s => s.OwnerUser).WithMany().HasForeignKey(s => s.OwnerUserId).OnDelete(DeleteBehavior.Restrict);
            e.HasMany(s => s.History).WithOne().HasForeignKey(h => h.SessionId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(s => s.Kernels).WithOne(k => k.Session).HasForeignKey(k => k.SessionId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<SessionStatusChangeEntity>(e =>
        {
            e.ToTable("session_status_history");
            e.Property(h => h.Status).HasConversion<string>().HasMaxLength(16);
        });
        b.Entity<AgentEntity>(e =>
        {
            e.ToTable("agents");
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).HasMaxLength(128);
            e.Property(a => a.ResourceGroup).HasMaxLength(64);
            e.Property(a => a.Status).HasConversion<string>().HasMaxLength(16);
        });
        b.Entity<ResourceGroupEntity>(e =>
        {
            e.ToTable("resource_groups");
            e.HasKey(g => g.Name);
            e.Property(g => g.Name).HasMaxLength(64);
            e.Property(g => g.Order).HasConversion<string>().HasMaxLength(16);
            e.Property(g => g.Selection).HasConversion<string>().HasMaxLength(16);
        });
        b.Entity<ResourceGroupGrantEntity>(e =>
        {
            e.ToTable("resource_group_grants");
            e.HasIndex(g => new { g.ResourceGroup, g.UserId, g.ProjectId }).IsUnique();
        });
        b.Entity<ResourcePresetEntity>(e =>
        {
            e.ToTable("resource_presets");
            e.HasIndex(p => new { p.ResourceGroup, p.Name }).IsUnique();
        });
        b.Entity<ResourcePolicyEntity>(e =>
        {
            e.ToTable("resource_policies");
            e.HasKey(p => p.Name);
            e.Property(p => p.Name).HasMaxLength(64);
        });
        b.Entity<KernelEntity>(e =>
        {
            e.ToTable("kernels");
            e.Property(k => k.AgentId).HasMaxLength(128);
            e.HasIndex(k => new { k.AgentId, k.Cleaned });
        });
        b.Entity<LaunchHistoryEntity>(e =>
        {
            e.ToTable("launch_history");
            e.Property(h => h.Title).HasMaxLength(64);
            e.Property(h => h.SessionName).HasMaxLength(64);
            e.HasIndex(h => new { h.OwnerUserId, h.LaunchedAt });
            e.HasOne(h => h.OwnerUser).WithMany().HasForeignKey(h => h.OwnerUserId).OnDelete(DeleteBehavior.Cascade);
        });
        b.Entity<IdempotencyRecordEntity>(e =>
        {
            e.ToTable("idempotency_records");
            // The key is the caller's own: two users may choose the same one. The primary key is what makes a
            // second manager serving the same key at the same moment lose its transaction instead of duplicating.
            e.HasKey(r => new { r.UserId, r.Key });
            e.Property(r => r.Key).HasMaxLength(255);
            e.Property(r => r.Operation).HasMaxLength(64);
            e.Property(r => r.Fingerprint).HasMaxLength(64);
            e.HasIndex(r => r.CreatedAt);
            e.HasOne<UserEntity>().WithMany().HasForeignKey(r => r.UserId).OnDelete(DeleteBehavior.Cascade);
        });
    }
}

public sealed class SqliteBerthDbContext(DbContextOptions<SqliteBerthDbContext> options) : BerthDbContext(options)
{
    public override string ProviderName => "sqlite";
}

public sealed class PostgresBerthDbContext(DbContextOptions<PostgresBerthDbContext> options) : BerthDbContext(options)
{
    public override string ProviderName => "postgres";
}
