using Berth.Core.Validation;

namespace Berth.Core.Contracts;

public sealed record LoginRequest(string? Email, string? Password);

/// <param name="ExpiresAt">When the keypair stops working; log in again after it.</param>
public sealed record LoginResponse(string AccessKey, string SecretKey, UserDto User, DateTimeOffset? ExpiresAt = null);

/// <summary>A keypair of the caller's, without its secret.</summary>
/// <param name="IsCurrent">The keypair this request was signed with.</param>
public sealed record KeyPairDto(string AccessKey, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, DateTimeOffset? LastUsedAt,
    string? CreatedFrom, string? Label, bool IsCurrent);

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);

/// <summary>What changing the password did: every other keypair of the user was revoked.</summary>
public sealed record ChangePasswordResponse(int RevokedKeyPairs);

/// <summary>Deactivating or deleting a user; <paramref name="RevokedKeyPairs"/> of theirs stopped working.</summary>
public sealed record UserChangeResponse(string Email, string Outcome, int RevokedKeyPairs);

/// <summary>One line of the security audit log.</summary>
/// <param name="Email">Who acted, or the email a failed login attempted (escaped, cut short).</param>
/// <param name="Outcome"><c>success</c>, <c>failure</c> or <c>refused</c>.</param>
public sealed record AuditEventDto(long Id, DateTimeOffset At, Guid? UserId, string? Email, string Action, string? Target,
    string Outcome, string? ClientAddress, string? Detail);

public sealed record UserDto(Guid Id, string Email, string Role, bool IsActive, IReadOnlyList<string> Projects, DateTimeOffset CreatedAt);

public sealed record CreateUserRequest(string? Email, string? Password, string? Role);

public sealed record ProjectDto(Guid Id, string Name, string? Description, IReadOnlyList<string> Members, DateTimeOffset CreatedAt);

public sealed record CreateProjectRequest(string? Name, [property: FreeText(4096)] string? Description);

public sealed record AddProjectMemberRequest(string? Email);

/// <summary>An admin gives a user another role (never more than the admin's own).</summary>
public sealed record ChangeUserRoleRequest(string? Role);

/// <summary>An admin sets a new password for a user; every keypair of the user is revoked.</summary>
public sealed record ResetUserPasswordRequest(string? Password);

public sealed record HealthDto(string Status, string Version, string Database);
