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

/// <summary>
/// An API keypair. HMAC verification needs the secret itself, so it is kept, but only encrypted
/// (<see cref="Auth.SecretKeyProtector"/>, with a key outside the database): a copy of the database alone
/// cannot sign requests. Revoking deletes the row; an expired row is refused and pruned.
/// </summary>
public sealed class KeyPairEntity
{
    public required string AccessKey { get; set; }
    /// <summary>The secret key, AES-GCM encrypted: <c>v1:</c> + base64(nonce ‖ tag ‖ ciphertext), bound to the access key.</summary>
    public required string SecretCipher { get; set; }
    public Guid UserId { get; set; }
    public UserEntity? User { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
    /// <summary>When the key last signed a request, to a few minutes (updated at most every few minutes).</summary>
    public DateTime? LastUsedAt { get; set; }
    /// <summary>The client address the login came from.</summary>
    public string? CreatedFrom { get; set; }
    /// <summary>What made it: "login", or the client's own label.</summary>
    public string? Label { get; set; }
}

/// <summary>One security event: who did (or tried) what, to what, from where, and how it ended.</summary>
public sealed class AuditEventEntity
{
    public long Id { get; set; }
    public DateTime At { get; set; }
    public Guid? UserId { get; set; }
    /// <summary>The actor's email, or the email that was attempted (escaped and cut short) for failed logins.</summary>
    public string? Email { get; set; }
    public required string Action { get; set; }
    public string? Target { get; set; }
    /// <summary><c>success</c>, <c>failure</c> or <c>refused</c>.</summary>
    public required string Outcome { get; set; }
    public string? ClientAddress { get; set; }
    public string? Detail { get; set; }
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
