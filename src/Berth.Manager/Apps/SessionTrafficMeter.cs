using System.Collections.Concurrent;

namespace Berth.Manager.Apps;

/// <summary>What went through the app proxy for one session: bytes to the app, bytes from it, and when it last moved.</summary>
public sealed record SessionTraffic(long BytesIn, long BytesOut, DateTimeOffset LastActivity);

/// <summary>
/// Counts app-proxy traffic per session, in memory (one manager's view; it starts from zero when the manager
/// restarts). Idle checks read <see cref="Get"/>.
/// </summary>
public sealed class SessionTrafficMeter(TimeProvider clock)
{
    private sealed class Counter
    {
        public long In, Out, LastTicks;
    }

    private readonly ConcurrentDictionary<Guid, Counter> _counters = new();

    public void Record(Guid session, long bytesIn, long bytesOut)
    {
        var c = _counters.GetOrAdd(session, _ => new Counter());
        if (bytesIn != 0) Interlocked.Add(ref c.In, bytesIn);
        if (bytesOut != 0) Interlocked.Add(ref c.Out, bytesOut);
        Interlocked.Exchange(ref c.LastTicks, clock.GetUtcNow().UtcTicks);
    }

    public SessionTraffic? Get(Guid session) =>
        _counters.TryGetValue(session, out var c)
            ? new SessionTraffic(Interlocked.Read(ref c.In), Interlocked.Read(ref c.Out), new DateTimeOffset(Interlocked.Read(ref c.LastTicks), TimeSpan.Zero))
            : null;

    public void Forget(Guid session) => _counters.TryRemove(session, out _);
}
