using System.Globalization;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Berth.Core.Accounts;
using Berth.Core.Auth;
using Berth.Manager.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Manager.Auth;

/// <summary>Verifies <see cref="RequestSignature"/> on every API request.</summary>
public sealed class HmacAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    BerthDbContext db, TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "BerthHmac";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!RequestSignature.TryParseAuthorization(Request.Headers.Authorization, out var accessKey, out var signature))
            return AuthenticateResult.NoResult();

        var date = Request.Headers[RequestSignature.DateHeader].ToString();
        if (!DateTimeOffset.TryParse(date, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt))
            return AuthenticateResult.Fail($"The {RequestSignature.DateHeader} header is missing or not a date.");
        if ((clock.GetUtcNow() - signedAt).Duration() > RequestSignature.MaxClockSkew)
            return AuthenticateResult.Fail("The request date is too far from the server's clock.");

        var key = await KeyPairQueries.FindActiveAsync(db, accessKey, clock.GetUtcNow().UtcDateTime, Context.RequestAborted);
        if (key?.User is not { } user)
            return AuthenticateResult.Fail("Unknown or revoked access key.");

        // Sign what the client sent, byte for byte: the decoded Path would differ for escaped names.
        var target = Context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? (Request.Path + Request.QueryString).ToString();
        var expected = RequestSignature.Sign(key.SecretKey, Request.Method, target, date);
        if (!RequestSignature.Matches(expected, signature))
            return AuthenticateResult.Fail("The request signature does not match.");

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

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var failure = (await HandleAuthenticateOnceSafeAsync()).Failure?.Message;
        var problem = new Core.Problems.Problem(401, "not-authenticated",
            failure ?? "This request needs an API keypair; run `berth login`.", "authorization");
        Response.StatusCode = 401;
        await Http.ProblemResponses.ToResult(problem).ExecuteAsync(Context);
    }

    protected override async Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = 403;
        await Http.ProblemResponses.ToResult(Core.Problems.Problem.Forbidden("forbidden", "You may not do this.")).ExecuteAsync(Context);
    }
}
