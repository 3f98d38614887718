namespace Berth.Web.Auth;

/// <summary>Names the console's cookie authentication uses in one place.</summary>
public static class ConsoleAuth
{
    /// <summary>Its own scheme beside the manager's HMAC one: the API never accepts the console's cookie.</summary>
    public const string Scheme = "BerthConsole";

    /// <summary>Pages require this policy; it authenticates with <see cref="Scheme"/> only and sends strangers to the sign-in page.</summary>
    public const string Policy = "BerthConsoleUser";

    public const string CookieName = "berth.console";

    /// <summary>The claim that names the vault entry holding this browser's keypair.</summary>
    public const string HandleClaim = "berth:handle";

    public const string SignInPath = "/signin";
    public const string SignOutPath = "/auth/sign-out";
}
