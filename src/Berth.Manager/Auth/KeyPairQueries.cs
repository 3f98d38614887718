using Berth.Manager.Data;
using Microsoft.EntityFrameworkCore;

namespace Berth.Manager.Auth;

/// <summary>
/// The one definition of "this access key may still act": used by request signing and by the storage
/// ticket check, so revoking a keypair, logging out or deactivating a user ends both at once.
/// </summary>
public static class KeyPairQueries
{
    /// <summary>The keypair with its user when the key exists, is unexpired and its user is active; otherwise null.</summary>
    public static async Task<KeyPairEntity?> FindActiveAsync(BerthDbContext db, string accessKey, DateTime nowUtc, CancellationToken ct)
    {
        var key = await db.KeyPairs.AsNoTracking().Include(k => k.User)
            .FirstOrDefaultAsync(k => k.AccessKey == accessKey, ct);
        return key?.User is { IsActive: true } ? key : null;
    }
}
