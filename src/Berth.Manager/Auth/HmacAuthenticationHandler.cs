using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Berth.Core.Accounts;
using Berth.Core.Auth;
using Berth.Manager.Audit;
using Berth.Manager.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Manager.Auth;

/// <summary>
/// Verifies <see cref="RequestSignature"/> on every API request: a date within the skew window, a live
/// keypair (<see cref="KeyPairQueries"/>), the HMAC over method, target, date, body hash and nonce, the
/// body hash against the bytes received, and a nonce not seen before. Each refusal names its rule.
/// </summary>
public sealed class HmacAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    BerthDbContext db, TimeProvider clock, SecretKeyProtector protector, ReplayGuard replays, AuditLog audit,
    IOptions<AuthOptions> authOptions)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "BerthHmac";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!RequestSignature.TryParseAuthorization(Request.Headers.Authorization, out var accessKey, out var signature))
            return AuthenticateResult.NoResult();

        var date = Request.Headers[RequestSignature.DateHeader].ToString();
        if (!DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
            return Refuse("signature-date-missing", $"The {RequestSignature.DateHeader} header is missing or not a date.");
        var now = clock.GetUtcNow();
        if ((now - signedAt).Duration() > RequestSignature.MaxClockSkew)
            return Refuse("signature-date-skewed",
                $"The request date is more than {RequestSignature.MaxClockSkew.TotalMinutes:0} minutes from the server's clock; check this machine's clock.");
        var nonce = Request.Headers[RequestSignature.NonceHeader].ToString();
        var claimedHash = Request.Headers[RequestSignature.ContentHashHeader].ToString().ToLowerInvariant();
        if (!RequestSignature.IsWellFormedNonce(nonce) || !RequestSignature.IsWellFormedContentHash(claimedHash))
            return Refuse("signature-headers-missing",
                $"Signed requests carry {RequestSignature.NonceHeader} (hex, at least {RequestSignature.NonceBytes} bytes) and {RequestSignature.ContentHashHeader} (hex SHA-256 of the body); update the client.");

        var key = await KeyPairQueries.FindActiveAsync(db, accessKey, now.UtcDateTime, Context.RequestAborted);
        if (key?.User is not { } user)
            return Refuse("access-key-invalid", "Unknown, expired or revoked access key; run `berth login`.");
        var secret = protector.Unprotect(key.AccessKey, key.SecretCipher);
        if (secret is null)
            return Refuse("access-key-invalid", "This keypair cannot be used on this manager (its secret does not decrypt with this manager's key); run `berth login`.");

        // Sign what the client sent, byte for byte: the decoded Path would differ for escaped names.
        var target = Context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (Request.Path + Request.QueryString).ToString();
        var expected = RequestSignature.Sign(secret, Request.Method, target, date, claimedHash, nonce);
        if (!RequestSignature.Matches(expected, signature))
            return await RefuseAuditedAsync("signature-invalid", "The request signature does not match.", "request.bad-signature", user, accessKey);

        var verdict = replays.TryUse(accessKey, nonce, signedAt);
        if (verdict == ReplayGuard.Verdict.Replayed)
            return await RefuseAuditedAsync("request-replayed", "This request was already received once (same nonce); a signed request cannot be replayed.",
                "request.replayed", user, accessKey);
        if (verdict == ReplayGuard.Verdict.Full)
            return Refuse("replay-cache-full", "The server is receiving more signed requests than it can remember; try again shortly.");

        var actualHash = await HashBodyAsync();
        if (actualHash is null)
            return Refuse("body-too-large-to-sign", $"Signed API request bodies may have at most {RequestSignature.MaxSignedBodyBytes} bytes.");
        if (!RequestSignature.Matches(actualHash, claimedHash))
            return await RefuseAuditedAsync("body-hash-mismatch", "The request body is not the one that was signed.", "request.bad-signature", user, accessKey);

        await TouchAsync(key, now.UtcDateTime);
        Claim[] claims =
        [
            new(ClaimTypes.NameIdentifier, user.Id.ToString()),
            new(ClaimTypes.Email, user.Email),
            new(ClaimTypes.Role, user.Role.ToWire()),
            new(Caller.AccessKeyClaim, key.AccessKey),
        ];
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    /// <summary>SHA-256 of the body as received, leaving it readable for the endpoint; null when it is over the signing limit.</summary>
    private async Task<string?> HashBodyAsync()
    {
        if (Request.ContentLength is 0 || (Request.ContentLength is null && !Request.Headers.ContainsKey("Transfer-Encoding")))
            return RequestSignature.EmptyBodyHash;
        if (Request.ContentLength > RequestSignature.MaxSignedBodyBytes) return null;
        Request.EnableBuffering(bufferThreshold: 64 * 1024, bufferLimit: RequestSignature.MaxSignedBodyBytes + 1);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[16 * 1024];
        long total = 0;
        try
        {
            int read;
            while ((read = await Request.Body.ReadAsync(buffer, Context.RequestAborted)) > 0)
            {
                total += read;
                if (total > RequestSignature.MaxSignedBodyBytes) return null;
                hash.AppendData(buffer, 0, read);
            }
        }
        catch (IOException) when (total >= RequestSignature.MaxSignedBodyBytes)
        {
            return null;
        }
        Request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>"Last used", to <see cref="AuthOptions.LastUsedResolution"/>: one small write per key every few minutes, not per request.</summary>
    private async Task TouchAsync(KeyPairEntity key, DateTime now)
    {
        var resolution = authOptions.Value.LastUsedResolution;
        if (key.LastUsedAt is { } last && now - last < resolution) return;
        var before = now - resolution;
        await db.KeyPairs.Where(k => k.AccessKey == key.AccessKey && (k.LastUsedAt == null || k.LastUsedAt < before))
            .ExecuteUpdateAsync(u => u.SetProperty(k => k.LastUsedAt, now), Context.RequestAborted);
    }

    private async Task<AuthenticateResult> RefuseAuditedAsync(string rule, string message, string action, UserEntity user, string accessKey)
    {
        await audit.RecordAsync(new AuditEntry(action, AuditLog.Refused, user.Id, user.Email, $"{Request.Method} {AuditLog.Escape(Request.Path, 120)}",
            ClientAddress.Of(Context), $"{rule}; access key {accessKey}"));
        return Refuse(rule, message);
    }

    private static AuthenticateResult Refuse(string rule, string message) => AuthenticateResult.Fail(new SignatureRejectedException(rule, message));

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure;
        var problem = failure is SignatureRejectedException rejected
            ? new Core.Problems.Problem(401, rejected.Rule, rejected.Message, "authorization")
            : new Core.Problems.Problem(401, "not-authenticated", failure?.Message ?? "This request needs an API keypair; run `berth login`.", "authorization");
        Response.StatusCode = 401;
        await Http.ProblemResponses.ToResult(problem).ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 403;
        await Http.ProblemResponses.ToResult(Core.Problems.Problem.Forbidden("forbidden", "You may not do this.")).ExecuteAsync(Context);
    }
}

/// <summary>Why a signed request was refused: its rule travels to the 401 problem.</summary>
public sealed class SignatureRejectedException(string rule, string message) : Exception(message)
{
    public string Rule { get; } = rule;
}
