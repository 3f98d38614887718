using System.Collections.Concurrent;

namespace Berth.Manager.Idempotency;

/// <summary>
/// The keys this manager is serving right now (and when it last pruned expired records). A second request with a key still in flight is told so (409) instead
/// of racing the first; across managers the record's primary key decides, and the loser replays the winner.
/// </summary>
public sealed class IdempotencyInFlight
{
    private readonly ConcurrentDictionary<(Guid, string), byte> _held = new();
    private long _nextPruneTicks;

    /// <summary>How often this manager deletes expired records of all users (each key's own is checked on use).</summary>
    public static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    /// <summary>True for one caller at most once per <see cref="PruneInterval"/>: the table-wide delete is kept off the create path.</summary>
    public bool PruneDue(DateTimeOffset now)
    {
        var next = Interlocked.Read(ref _nextPruneTicks);
        return now.UtcTicks >= next && Interlocked.CompareExchange(ref _nextPruneTicks, (now + PruneInterval).UtcTicks, next) == next;
    }

    /// <summary>A hold to dispose when the request ends, or null when another request holds the key.</summary>
    public IDisposable? TryHold(Guid userId, string key) =>
        _held.TryAdd((userId, key), 0) ? new Hold(this, (userId, key)) : null;

    private sealed class Hold(IdempotencyInFlight owner, (Guid, string) id) : IDisposable
    {
        public void Dispose() => owner._held.TryRemove(id, out _);
    }
}
