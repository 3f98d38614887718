using System.Collections.Concurrent;

namespace Berth.Manager.Idempotency;

/// <summary>
/// The keys this manager is serving right now. A second request with a key still in flight is told so (409) instead
/// of racing the first; across managers the record's primary key decides, and the loser replays the winner.
/// </summary>
public sealed class IdempotencyInFlight
{
    private readonly ConcurrentDictionary<(Guid, string), byte> _held = new();

    /// <summary>A hold to dispose when the request ends, or null when another request holds the key.</summary>
    public IDisposable? TryHold(Guid userId, string key) =>
        _held.TryAdd((userId, key), 0) ? new Hold(this, (userId, key)) : null;

    private sealed class Hold(IdempotencyInFlight owner, (Guid, string) id) : IDisposable
    {
        public void Dispose() => owner._held.TryRemove(id, out _);
    }
}
