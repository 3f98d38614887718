using System.Security.Claims;
using Berth.Core.Accounts;
using Berth.Core.Problems;

namespace Berth.Manager.Auth;

/// <summary>The authenticated caller, read from the claims the HMAC handler sets.</summary>
public sealed record Caller(Guid UserId, string Email, UserRole Role, string AccessKey)
{
    public const string AccessKeyClaim = "berth:access_key";

    public bool IsAdmin => Role.IsAdmin();

    public static Caller From(ClaimsPrincipal principal)
    {
        var id = principal.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new Problem(401, "not-authenticated", "This request needs an API keypair; run `berth login`.").ToException();
        UserRoles.TryParse(principal.FindFirstValue(ClaimTypes.Role), out var role);
        return new Caller(Guid.Parse(id), principal.FindFirstValue(ClaimTypes.Email) ?? "", role,
            principal.FindFirstValue(AccessKeyClaim) ?? "");
    }

    public void RequireAdmin()
    {
        if (!IsAdmin) throw Problem.Forbidden("admin-only", "Only administrators may do this.").ToException();
    }
}
