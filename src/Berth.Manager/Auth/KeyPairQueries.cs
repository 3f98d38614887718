using Berth.Manager.Data;
using Microsoft.EntityFrameworkCore;

namespace Berth.Manager.Auth;

/// <summary>
/// The one definition of "this access key may still act": used by request signing and by the storage
/// ticket check, so revoking a keypair, logging out, changing the password or deactivating a user ends
/// both at once. A keypair acts while it exists (revoking deletes it), has not expired, and its user is active.
/// </summary>
public static class KeyPairQueries
{
    /// <summary>The keypair with its user when the key exists, is unexpired and its user is active; otherwise null.</summary>
    public static async Task<KeyPairEntity?> FindActiveAsync(BerthDbContext db, string accessKey, DateTime nowUtc, CancellationToken ct)
    {
        var key = await Active(db, nowUtc).Include(k => k.User)
            .FirstOrDefaultAsync(k => k.AccessKey == accessKey, ct);
        return key?.User is { IsActive: true } ? key : null;
    }

    /// <summary>Keypairs that have not expired (revoked ones no longer exist), read-only.</summary>
    public static IQueryable<KeyPairEntity> Active(BerthDbContext db, DateTime nowUtc) =>
        db.KeyPairs.AsNoTracking().Where(k => k.ExpiresAt > nowUtc);
}
