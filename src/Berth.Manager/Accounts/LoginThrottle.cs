using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Berth.Manager.Accounts;

/// <summary>
/// Counts wrong passwords per attempted email and per client address and locks either after too many,
/// for <c>LockoutBase</c>, doubling with each further lockout up to <c>LockoutMax</c>. Unknown emails are
/// counted exactly like known ones, so a lockout says nothing about who has an account. In memory, per
/// manager; a success clears its email's count (never the address's: logging into one's own account must
/// not reset an attacker's budget).
/// </summary>
public sealed class LoginThrottle(IOptions<LoginOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<string, Counter> _accounts = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Counter> _addresses = new(StringComparer.Ordinal);

    /// <summary>What a failure led to: a lockout that began now (of the account, the address or both), or none.</summary>
    public sealed record Outcome(bool AccountLocked, bool AddressLocked, TimeSpan LockedFor);

    /// <summary>How long the email or address is still locked; null when neither is.</summary>
    public TimeSpan? LockedFor(string email, string address)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        TimeSpan? longest = null;
        foreach (var counter in new[] { Find(_accounts, email), Find(_addresses, address) })
        {
            if (counter is null) continue;
            lock (counter)
                if (counter.LockedUntil > now && (longest is null || counter.LockedUntil - now > longest)) longest = counter.LockedUntil - now;
        }
        return longest;
    }

    public Outcome RecordFailure(string email, string address)
    {
        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var account = Count(_accounts, email, o.AccountFailureLimit, now);
        var byAddress = Count(_addresses, address, o.AddressFailureLimit, now);
        return new Outcome(account is not null, byAddress is not null, Max(account, byAddress) ?? TimeSpan.Zero);
    }

    public void RecordSuccess(string email) => _accounts.TryRemove(email, out _);

    private TimeSpan? Count(ConcurrentDictionary<string, Counter> map, string key, int limit, DateTime now)
    {
        var o = options.Value;
        if (map.Count >= o.TrackedLimit) Forget(map, now);
        var counter = map.GetOrAdd(key, _ => new Counter { WindowStart = now });
        lock (counter)
        {
            // A quiet spell as long as the window forgives the failures; one that outlasts the longest lockout too forgives the lockouts.
            if (now - counter.LastFailure > o.FailureWindow + o.LockoutMax) counter.Lockouts = 0;
            if (now - counter.WindowStart > o.FailureWindow) { counter.Failures = 0; counter.WindowStart = now; }
            counter.LastFailure = now;
            if (counter.LockedUntil > now) return null;
            if (++counter.Failures < limit) return null;
            var lockout = TimeSpan.FromTicks(Math.Min(o.LockoutMax.Ticks, o.LockoutBase.Ticks * (1L << Math.Min(counter.Lockouts, 30))));
            counter.Lockouts++;
            counter.Failures = 0;
            counter.WindowStart = now;
            counter.LockedUntil = now + lockout;
            return lockout;
        }
    }

    /// <summary>Keeps memory bounded under a flood of random emails: drop entries that are neither locked nor recent.</summary>
    private void Forget(ConcurrentDictionary<string, Counter> map, DateTime now)
    {
        var o = options.Value;
        foreach (var (key, counter) in map)
            lock (counter)
                if (counter.LockedUntil <= now && now - counter.LastFailure > o.FailureWindow) map.TryRemove(key, out _);
        if (map.Count < o.TrackedLimit) return;
        foreach (var (key, counter) in map)
            lock (counter)
                if (counter.LockedUntil <= now) map.TryRemove(key, out _);
    }

    private static Counter? Find(ConcurrentDictionary<string, Counter> map, string key) => map.TryGetValue(key, out var c) ? c : null;

    private static TimeSpan? Max(TimeSpan? a, TimeSpan? b) => a is null ? b : b is null ? a : a > b ? a : b;

    private sealed class Counter
    {
        public int Failures;
        public int Lockouts;
        public DateTime WindowStart;
        public DateTime LastFailure;
        public DateTime LockedUntil;
    }
}
