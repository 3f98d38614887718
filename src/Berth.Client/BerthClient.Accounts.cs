using System.Globalization;
using Berth.Core.Contracts;

namespace Berth.Client;

public sealed partial class BerthClient
{
    // ---- keypairs and passwords ------------------------------------------------------------------------

    /// <summary>The caller's keypairs that still work (never their secrets); <see cref="KeyPairDto.IsCurrent"/> marks this client's.</summary>
    public Task<IReadOnlyList<KeyPairDto>> ListKeyPairsAsync(CancellationToken ct = default) =>
        SendJsonAsync<IReadOnlyList<KeyPairDto>>(HttpMethod.Get, "api/auth/keypairs", null, ct);

    /// <summary>Revokes one of the caller's keypairs at once (this client's own too: that is a logout).</summary>
    public Task RevokeKeyPairAsync(string accessKey, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Delete, "api/auth/keypairs/" + Esc(accessKey), null, ct);

    /// <summary>Changes the caller's password; every other keypair of theirs is revoked, this client's keeps working.</summary>
    public Task<ChangePasswordResponse> ChangePasswordAsync(string currentPassword, string newPassword, CancellationToken ct = default) =>
        SendJsonAsync<ChangePasswordResponse>(HttpMethod.Post, "api/auth/password", new ChangePasswordRequest(currentPassword, newPassword), ct);

    // ---- admin: accounts and audit -------------------------------------------------------------------

    /// <summary>Locks a user out (their keypairs are revoked); only for users of lower rank than the caller.</summary>
    public Task<UserChangeResponse> DeactivateUserAsync(string email, CancellationToken ct = default) =>
        SendJsonAsync<UserChangeResponse>(HttpMethod.Post, $"api/admin/users/{Esc(email)}/deactivate", null, ct);

    public Task<UserChangeResponse> ActivateUserAsync(string email, CancellationToken ct = default) =>
        SendJsonAsync<UserChangeResponse>(HttpMethod.Post, $"api/admin/users/{Esc(email)}/activate", null, ct);

    /// <summary>Deletes a user who owns no folders or sessions; only for users of lower rank than the caller.</summary>
    public Task<UserChangeResponse> DeleteUserAsync(string email, CancellationToken ct = default) =>
        SendJsonAsync<UserChangeResponse>(HttpMethod.Delete, $"api/admin/users/{Esc(email)}", null, ct);

    /// <summary>Gives a user of lower rank another role (at most one the caller may grant); their keypairs are revoked.</summary>
    public Task<UserDto> ChangeUserRoleAsync(string email, string role, CancellationToken ct = default) =>
        SendJsonAsync<UserDto>(HttpMethod.Post, $"api/admin/users/{Esc(email)}/role", new ChangeUserRoleRequest(role), ct);

    /// <summary>Sets a new password for a user of lower rank; every keypair of theirs is revoked.</summary>
    public Task<UserChangeResponse> ResetUserPasswordAsync(string email, string password, CancellationToken ct = default) =>
        SendJsonAsync<UserChangeResponse>(HttpMethod.Post, $"api/admin/users/{Esc(email)}/password", new ResetUserPasswordRequest(password), ct);

    /// <summary>Takes a user out of a project (not the default one, which holds everyone).</summary>
    public Task<ProjectDto> RemoveProjectMemberAsync(string project, string email, CancellationToken ct = default) =>
        SendJsonAsync<ProjectDto>(HttpMethod.Delete, $"api/admin/projects/{Esc(project)}/members/{Esc(email)}", null, ct);

    /// <summary>Security events, newest first. <paramref name="action"/> matches exactly or as a prefix ("login" → login.*).</summary>
    public Task<IReadOnlyList<AuditEventDto>> ListAuditAsync(DateTimeOffset? since = null, string? action = null, string? user = null, int? limit = null,
        CancellationToken ct = default)
    {
        var query = new List<string>();
        if (since is { } s) query.Add("since=" + Esc(s.UtcDateTime.ToString("o", CultureInfo.InvariantCulture)));
        if (!string.IsNullOrEmpty(action)) query.Add("action=" + Esc(action));
        if (!string.IsNullOrEmpty(user)) query.Add("user=" + Esc(user));
        if (limit is { } l) query.Add("limit=" + l.ToString(CultureInfo.InvariantCulture));
        var path = "api/admin/audit" + (query.Count == 0 ? "" : "?" + string.Join('&', query));
        return SendJsonAsync<IReadOnlyList<AuditEventDto>>(HttpMethod.Get, path, null, ct);
    }
}
