using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Manager.Audit;
using Berth.Manager.Auth;
using Berth.Manager.Data;
using Microsoft.EntityFrameworkCore;

namespace Berth.Manager.Accounts;

/// <summary>A user's own keypairs: listing them (never their secrets), revoking one, logging out.</summary>
public sealed class KeyPairService(BerthDbContext db, AuditLog audit, TimeProvider clock)
{
    public async Task<IReadOnlyList<KeyPairDto>> ListAsync(Caller caller, CancellationToken ct)
    {
        var keys = await KeyPairQueries.Active(db, clock.GetUtcNow().UtcDateTime)
            .Where(k => k.UserId == caller.UserId).OrderBy(k => k.CreatedAt).ToListAsync(ct);
        return keys.Select(k => new KeyPairDto(k.AccessKey, Utc(k.CreatedAt), Utc(k.ExpiresAt), k.LastUsedAt is { } used ? Utc(used) : null,
            k.CreatedFrom, k.Label, k.AccessKey == caller.AccessKey)).ToList();
    }

    /// <summary>Revokes one of the caller's keypairs (the current one too: that is a logout).</summary>
    public async Task RevokeAsync(Caller caller, string accessKey, string address, CancellationToken ct)
    {
        var revoked = await db.KeyPairs.Where(k => k.AccessKey == accessKey && k.UserId == caller.UserId).ExecuteDeleteAsync(ct);
        if (revoked == 0)
            throw Problem.NotFound("keypair-not-found", $"You have no keypair {AuditLog.Escape(accessKey, 64)}.", "accessKey").ToException();
        await audit.RecordAsync(new AuditEntry("keypair.revoked", AuditLog.Success, caller.UserId, caller.Email, accessKey, address,
            accessKey == caller.AccessKey ? "the current keypair" : null), ct);
    }

    public async Task LogoutAsync(Caller caller, string address, CancellationToken ct)
    {
        await db.KeyPairs.Where(k => k.AccessKey == caller.AccessKey).ExecuteDeleteAsync(ct);
        await audit.RecordAsync(new AuditEntry("keypair.revoked", AuditLog.Success, caller.UserId, caller.Email, caller.AccessKey, address, "logout"), ct);
    }

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));
}
