using Berth.Manager.Accounts;
using Berth.Manager.Audit;
using Berth.Manager.Auth;
using Microsoft.Extensions.Options;

namespace Berth.Integration.Tests;

/// <summary>The manager's account-security pieces on their own (no server): throttle arithmetic, replay memory, secret encryption, audit escaping.</summary>
public class AccountSecurityUnitTests
{
    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void Lockouts_start_at_the_limit_double_and_stop_at_the_cap()
    {
        var clock = new Clock();
        var throttle = new LoginThrottle(Options.Create(new LoginOptions
        {
            AccountFailureLimit = 3, AddressFailureLimit = 100, LockoutBase = TimeSpan.FromSeconds(10), LockoutMax = TimeSpan.FromSeconds(25),
        }), clock);
        var lockouts = new List<TimeSpan>();
        for (var round = 0; round < 3; round++)
        {
            Assert.False(throttle.RecordFailure("a@x", "1.2.3.4").AccountLocked);
            Assert.False(throttle.RecordFailure("a@x", "1.2.3.4").AccountLocked);
            var third = throttle.RecordFailure("a@x", "1.2.3.4");
            Assert.True(third.AccountLocked);
            Assert.False(third.AddressLocked);
            lockouts.Add(third.LockedFor);
            Assert.Equal(third.LockedFor, throttle.LockedFor("a@x", "9.9.9.9"));
            Assert.Null(throttle.LockedFor("b@x", "9.9.9.9"));
            clock.Now += third.LockedFor;
            Assert.Null(throttle.LockedFor("a@x", "1.2.3.4"));
        }
        Assert.Equal([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(25)], lockouts);
    }

    [Fact]
    public void A_success_forgives_the_email_but_not_the_address()
    {
        var clock = new Clock();
        var throttle = new LoginThrottle(Options.Create(new LoginOptions { AccountFailureLimit = 2, AddressFailureLimit = 3 }), clock);
        throttle.RecordFailure("a@x", "1.2.3.4");
        throttle.RecordFailure("b@x", "1.2.3.4");
        throttle.RecordSuccess("a@x");
        Assert.False(throttle.RecordFailure("a@x", "5.5.5.5").AccountLocked); // a@x starts again from zero
        Assert.True(throttle.RecordFailure("c@x", "1.2.3.4").AddressLocked);   // the address kept its two
        Assert.NotNull(throttle.LockedFor("anyone@x", "1.2.3.4"));
    }

    [Fact]
    public void Failures_older_than_the_window_are_forgotten()
    {
        var clock = new Clock();
        var throttle = new LoginThrottle(Options.Create(new LoginOptions { AccountFailureLimit = 2, FailureWindow = TimeSpan.FromMinutes(1) }), clock);
        throttle.RecordFailure("a@x", "1.2.3.4");
        clock.Now += TimeSpan.FromMinutes(2);
        Assert.False(throttle.RecordFailure("a@x", "1.2.3.4").AccountLocked);
    }

    [Fact]
    public void A_nonce_is_accepted_once_per_key_until_its_date_leaves_the_window()
    {
        var clock = new Clock();
        var guard = new ReplayGuard(Options.Create(new AuthOptions()), clock);
        var signedAt = clock.Now;
        Assert.Equal(ReplayGuard.Verdict.Fresh, guard.TryUse("AK1", "n1", signedAt));
        Assert.Equal(ReplayGuard.Verdict.Replayed, guard.TryUse("AK1", "n1", signedAt));
        Assert.Equal(ReplayGuard.Verdict.Fresh, guard.TryUse("AK2", "n1", signedAt));
        clock.Now += TimeSpan.FromMinutes(10);
        Assert.Equal(ReplayGuard.Verdict.Fresh, guard.TryUse("AK3", "n2", clock.Now)); // sweeps the old ones
        Assert.Equal(1, guard.Count);
    }

    [Fact]
    public void Secrets_decrypt_only_with_the_same_key_and_access_key()
    {
        var key = new byte[32];
        Random.Shared.NextBytes(key);
        var protector = new SecretKeyProtector(key);
        var cipher = protector.Protect("AK1", "the-secret");
        Assert.DoesNotContain("the-secret", cipher);
        Assert.NotEqual(cipher, protector.Protect("AK1", "the-secret")); // a fresh nonce each time
        Assert.Equal("the-secret", protector.Unprotect("AK1", cipher));
        Assert.Null(protector.Unprotect("AK2", cipher));
        var other = new byte[32];
        Random.Shared.NextBytes(other);
        Assert.Null(new SecretKeyProtector(other).Unprotect("AK1", cipher));
        Assert.Null(protector.Unprotect("AK1", "the-secret"));
        Assert.Null(protector.Unprotect("AK1", cipher[..^4] + "AAA="));
    }

    [Fact]
    public void The_key_file_is_created_once_with_mode_0600()
    {
        var data = Directory.CreateTempSubdirectory("berth-kek-").FullName;
        try
        {
            var first = SecretKeyProtector.LoadKey(new ManagerOptions { DataDirectory = data });
            var path = Path.Combine(data, SecretKeyProtector.KeyFileName);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(first, SecretKeyProtector.LoadKey(new ManagerOptions { DataDirectory = data }));
            var configured = Convert.ToHexString(new byte[32]);
            Assert.Equal(new byte[32], SecretKeyProtector.LoadKey(new ManagerOptions { DataDirectory = data, KeyEncryptionKey = configured }));
            Assert.Throws<InvalidOperationException>(() => SecretKeyProtector.LoadKey(new ManagerOptions { DataDirectory = data, KeyEncryptionKey = "short" }));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Theory]
    [InlineData("plain@x.y", "plain@x.y")]
    [InlineData("line\nbreak", "line\\u000abreak")]
    [InlineData("back\\slash", "back\\\\slash")]
    [InlineData("\u0430dmin", "\\u0430dmin")]
    public void Audit_text_is_escaped(string raw, string escaped) => Assert.Equal(escaped, AuditLog.Escape(raw));

    [Fact]
    public void Audit_text_is_cut_short() => Assert.Equal(new string('a', 10) + "…", AuditLog.Escape(new string('a', 50), max: 10));
}
