using System.Collections.Concurrent;
using Berth.Core.Auth;
using Microsoft.Extensions.Options;

namespace Berth.Manager.Auth;

/// <summary>
/// Remembers each (access key, nonce) of a correctly signed request until its date leaves the clock-skew
/// window, after which the date check alone refuses it; a second use inside the window is a replay.
/// In memory, per manager: behind several managers a replay to another manager is refused only by the
/// body hash and the date window (docs/configuration.md says so).
/// </summary>
public sealed class ReplayGuard(IOptions<AuthOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, DateTime> _seen = new(StringComparer.Ordinal);
    private long _nextSweepTicks;

    public enum Verdict { Fresh, Replayed, Full }

    public Verdict TryUse(string accessKey, string nonce, DateTimeOffset signedAt)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        SweepWhenDue(now);
        if (_seen.Count >= options.Value.ReplayCacheLimit)
        {
            Sweep(now);
            if (_seen.Count >= options.Value.ReplayCacheLimit) return Verdict.Full;
        }
        var forgetAt = signedAt.UtcDateTime + RequestSignature.MaxClockSkew + TimeSpan.FromSeconds(1);
        return _seen.TryAdd(accessKey + "\n" + nonce, forgetAt) ? Verdict.Fresh : Verdict.Replayed;
    }

    public int Count => _seen.Count;

    private void SweepWhenDue(DateTime now)
    {
        var due = Interlocked.Read(ref _nextSweepTicks);
        if (now.Ticks < due) return;
        if (Interlocked.CompareExchange(ref _nextSweepTicks, now.AddSeconds(30).Ticks, due) == due) Sweep(now);
    }

    private void Sweep(DateTime now)
    {
        foreach (var (key, forgetAt) in _seen)
            if (forgetAt < now) _seen.TryRemove(key, out _);
    }
}
