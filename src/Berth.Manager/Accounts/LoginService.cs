using Berth.Core.Accounts;
using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Manager.Audit;
using Berth.Manager.Auth;
using Berth.Manager.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Berth.Manager.Accounts;

/// <summary>
/// Checking passwords: login and password change. Every check is throttled (<see cref="LoginThrottle"/>),
/// hashes inside the bounded <see cref="PasswordHashGate"/>, and does the same work whether the email exists
/// or not (an unknown email is verified against a dummy hash), so neither its answer nor its timing tells
/// who has an account.
/// </summary>
public sealed class LoginService(
    BerthDbContext db, IPasswordHasher<UserEntity> hasher, LoginThrottle throttle, PasswordHashGate gate,
    SecretKeyProtector protector, AuditLog audit, IOptions<AuthOptions> authOptions, TimeProvider clock)
{
    private static readonly UserEntity DummyUser = new() { Email = "dummy@berth.invalid", PasswordHash = "" };

    /// <summary>A hash of a random password with the same algorithm and work factor as real ones.</summary>
    private static readonly Lazy<string> DummyHash = new(() =>
        new PasswordHasher<UserEntity>().HashPassword(DummyUser, AccountService.RandomToken(16)));

    private static Problem Rejected => new(401, "login-failed", "The email or password is wrong.", "password");

    public async Task<LoginResponse> LoginAsync(LoginRequest request, string address, CancellationToken ct)
    {
        Throw(AccountRules.CheckEmail(request.Email) ?? (string.IsNullOrEmpty(request.Password)
            ? Problem.Invalid("password", "required", "A password is required.") : null));
        var email = AccountRules.NormalizeEmail(request.Email!);
        var user = await CheckPasswordAsync(email, request.Password!, address, "login", ct);
        if (user is null) throw Rejected.ToException();

        var now = clock.GetUtcNow().UtcDateTime;
        var accessKey = "AK" + AccountService.RandomToken(18);
        var secretKey = AccountService.RandomToken(40);
        var keyPair = new KeyPairEntity
        {
            AccessKey = accessKey,
            SecretCipher = protector.Protect(accessKey, secretKey),
            UserId = user.Id,
            CreatedAt = now,
            ExpiresAt = now + authOptions.Value.KeyPairLifetime,
            CreatedFrom = address,
            Label = "login",
        };
        db.KeyPairs.Add(keyPair);
        await db.SaveChangesAsync(ct);
        await audit.RecordAsync(new AuditEntry("login.succeeded", AuditLog.Success, user.Id, user.Email, accessKey, address), ct);
        return new LoginResponse(accessKey, secretKey, AccountService.ToDto(user), Utc(keyPair.ExpiresAt));
    }

    /// <summary>Changes the caller's password after checking the current one, and revokes every other keypair of theirs.</summary>
    public async Task<ChangePasswordResponse> ChangePasswordAsync(Caller caller, ChangePasswordRequest request, string address, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.CurrentPassword))
            throw Problem.Invalid("currentPassword", "required", "The current password is required.").ToException();
        Throw(AccountRules.CheckPassword(request.NewPassword, caller.Email, "newPassword"));
        if (request.NewPassword == request.CurrentPassword)
            throw Problem.Invalid("newPassword", "password-unchanged", "The new password is the current one.").ToException();

        var user = await CheckPasswordAsync(caller.Email, request.CurrentPassword, address, "password.change", ct);
        if (user is null || user.Id != caller.UserId)
            throw Problem.Forbidden("password-wrong", "The current password is wrong.", "currentPassword").ToException();
        using (await gate.EnterAsync(ct)) user.PasswordHash = hasher.HashPassword(user, request.NewPassword!);
        await db.SaveChangesAsync(ct);
        var revoked = await db.KeyPairs.Where(k => k.UserId == user.Id && k.AccessKey != caller.AccessKey).ExecuteDeleteAsync(ct);
        await audit.RecordAsync(new AuditEntry("password.changed", AuditLog.Success, user.Id, user.Email, user.Email, address,
            $"revoked {revoked} other keypair(s)"), ct);
        return new ChangePasswordResponse(revoked);
    }

    /// <summary>
    /// The user when <paramref name="password"/> is theirs and they are active; null otherwise, after counting
    /// the failure and writing it to the audit log. Throws <see cref="RetryLaterException"/> while locked or busy.
    /// </summary>
    private async Task<UserEntity?> CheckPasswordAsync(string email, string password, string address, string action, CancellationToken ct)
    {
        var attempted = AuditLog.Escape(email);
        if (throttle.LockedFor(email, address) is { } wait)
            throw new RetryLaterException(new Problem(429, "login-throttled",
                $"Too many wrong passwords for this account or from this address; try again in {Seconds(wait)} s.", "password"), wait);

        UserEntity? user;
        PasswordVerificationResult verdict;
        using (await gate.EnterAsync(ct))
        {
            user = await db.Users.Include(u => u.Memberships).ThenInclude(m => m.Project).FirstOrDefaultAsync(u => u.Email == email, ct);
            // The same PBKDF2 work for unknown emails, inactive users and wrong passwords alike.
            verdict = hasher.VerifyHashedPassword(user ?? DummyUser, user?.PasswordHash ?? DummyHash.Value, password);
            if (user is not null && verdict == PasswordVerificationResult.SuccessRehashNeeded) user.PasswordHash = hasher.HashPassword(user, password);
        }
        if (user is { IsActive: true } && verdict != PasswordVerificationResult.Failed)
        {
            throttle.RecordSuccess(email);
            return user;
        }

        var outcome = throttle.RecordFailure(email, address);
        var why = user is null ? "unknown email" : !user.IsActive ? "inactive user" : "wrong password";
        await audit.RecordAsync(new AuditEntry(action + ".failed", AuditLog.Failure, user?.Id, attempted, attempted, address, why), ct);
        if (outcome.AccountLocked || outcome.AddressLocked)
        {
            var what = outcome.AccountLocked && outcome.AddressLocked ? "account and address" : outcome.AccountLocked ? "account" : "address";
            await audit.RecordAsync(new AuditEntry("login.locked", AuditLog.Refused, user?.Id, attempted,
                outcome.AccountLocked ? attempted : address, address, $"{what} locked for {Seconds(outcome.LockedFor)} s"), ct);
        }
        return null;
    }

    private static long Seconds(TimeSpan t) => (long)Math.Ceiling(t.TotalSeconds);

    private static DateTimeOffset Utc(DateTime t) => new(DateTime.SpecifyKind(t, DateTimeKind.Utc));

    private static void Throw(Problem? problem)
    {
        if (problem is not null) throw problem.ToException();
    }
}
