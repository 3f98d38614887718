using Berth.Manager.Data;

namespace Berth.Manager.Idempotency;

/// <summary>
/// The key of the create being served in this request scope, set by <see cref="IdempotentCreate"/>. The service that
/// creates the resource calls <see cref="Stage"/> just before it saves, so the record joins the resource's transaction.
/// </summary>
public sealed class IdempotencyScope(TimeProvider clock)
{
    private (Guid UserId, string Key, string Operation, string Fingerprint)? _current;

    internal void Begin(Guid userId, string key, string operation, string fingerprint) => _current = (userId, key, operation, fingerprint);

    /// <summary>Adds the key's record to <paramref name="db"/>'s pending changes; nothing when the request had no key.</summary>
    public void Stage(BerthDbContext db, Guid resourceId)
    {
        if (_current is not { } c) return;
        db.IdempotencyRecords.Add(new IdempotencyRecordEntity
        {
            UserId = c.UserId, Key = c.Key, Operation = c.Operation, Fingerprint = c.Fingerprint,
            ResourceId = resourceId, CreatedAt = clock.GetUtcNow().UtcDateTime,
        });
    }
}
