using System.ComponentModel.DataAnnotations;

namespace Berth.Manager.Accounts;

/// <summary>Login throttling and the password-hashing budget (<c>Login:*</c>).</summary>
public sealed class LoginOptions
{
    public const string Section = "Login";

    /// <summary>Wrong passwords for one email (known or not) within <see cref="FailureWindow"/> before it is locked.</summary>
    [Range(1, 10_000)]
    public int AccountFailureLimit { get; set; } = 5;

    /// <summary>Wrong passwords from one client address before the address is locked (higher: many users may share a NAT).</summary>
    [Range(1, 1_000_000)]
    public int AddressFailureLimit { get; set; } = 20;

    /// <summary>Failures older than this are forgotten.</summary>
    public TimeSpan FailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>The first lockout; each further one doubles, up to <see cref="LockoutMax"/>.</summary>
    public TimeSpan LockoutBase { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan LockoutMax { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Password hashes (PBKDF2, about 50 ms of one core each) computed at once. One: on a small server a
    /// login flood then takes one core, and every other request keeps the rest.
    /// </summary>
    [Range(1, 256)]
    public int MaxConcurrentHashes { get; set; } = 1;

    /// <summary>Logins that may wait for a hashing slot; more are answered 503 <c>login-busy</c> at once.</summary>
    [Range(0, 10_000)]
    public int HashQueueLimit { get; set; } = 8;

    /// <summary>How long a queued login waits for a slot before it gets <c>login-busy</c>.</summary>
    public TimeSpan HashQueueTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Emails and addresses tracked at once; beyond it, idle entries are forgotten first.</summary>
    [Range(100, 10_000_000)]
    public int TrackedLimit { get; set; } = 100_000;

    public static IEnumerable<string> Check(LoginOptions o)
    {
        if (o.FailureWindow <= TimeSpan.Zero) yield return "Login:FailureWindow must be positive.";
        if (o.LockoutBase <= TimeSpan.Zero) yield return "Login:LockoutBase must be positive.";
        if (o.LockoutMax < o.LockoutBase) yield return "Login:LockoutMax may not be shorter than Login:LockoutBase.";
        if (o.HashQueueTimeout <= TimeSpan.Zero) yield return "Login:HashQueueTimeout must be positive.";
    }
}

/// <summary>A refusal that tells the client when to come back (<c>Retry-After</c>): a lockout, or a busy server.</summary>
public sealed class RetryLaterException(Core.Problems.Problem problem, TimeSpan retryAfter) : Exception(problem.Detail)
{
    public Core.Problems.Problem Problem { get; } = problem;
    public TimeSpan RetryAfter { get; } = retryAfter;
}
