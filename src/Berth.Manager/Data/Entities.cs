using Berth.Core.Accounts;
using Berth.Core.VFolders;

namespace Berth.Manager.Data;

public sealed class UserEntity
{
    public Guid Id { get; set; }
    public required string Email { get; set; }
    public required string PasswordHash { get; set; }
    public UserRole Role { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    /// <summary>Name of the resource policy that limits this user; null means the default policy.</summary>
    public string? ResourcePolicy { get; set; }
    public List<ProjectMemberEntity> Memberships { get; set; } = [];
}

/// <summary>An API keypair. The secret is kept because HMAC verification needs it; revoking deletes the row.</summary>
public sealed class KeyPairEntity
{
    public required string AccessKey { get; set; }
    public required string SecretKey { get; set; }
    public Guid UserId { get; set; }
    public UserEntity? User { get; set; }
    public DateTime CreatedAt { get; set; }
}

public sealed class ProjectEntity
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public DateTime CreatedAt { get; set; }
    public List<ProjectMemberEntity> Members { get; set; } = [];
}

public sealed class ProjectMemberEntity
{
    public Guid ProjectId { get; set; }
    public ProjectEntity? Project { get; set; }
    public Guid UserId { get; set; }
    public UserEntity? User { get; set; }
}

public sealed class VFolderEntity
{
    public Guid Id { get; set; }
    public required string Name { get; set; }
    public required string Host { get; set; }
    public VFolderUsageMode UsageMode { get; set; }
    /// <summary>What project members (and, by default, share recipients) may do; the owner always has wd.</summary>
    public VFolderPermission Permission { get; set; }
    public Guid? OwnerUserId { get; set; }
    public UserEntity? OwnerUser { get; set; }
    public Guid? OwnerProjectId { get; set; }
    public ProjectEntity? OwnerProject { get; set; }
    public Guid CreatorUserId { get; set; }
    public VFolderStatus Status { get; set; }
    public bool Cloneable { get; set; }
    public long? QuotaBytes { get; set; }
    /// <summary>For a folder being cloned: where from, so the clone loop can resume after a restart.</summary>
    public Guid? CloneSourceId { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime StatusChangedAt { get; set; }
    public List<VFolderShareEntity> Shares { get; set; } = [];

    public VFolderOwnership Ownership => OwnerProjectId is null ? VFolderOwnership.User : VFolderOwnership.Project;
}

public sealed class VFolderShareEntity
{
    public Guid VFolderId { get; set; }
    public VFolderEntity? VFolder { get; set; }
    public Guid UserId { get; set; }
    public UserEntity? User { get; set; }
    public VFolderPermission Permission { get; set; }
}
