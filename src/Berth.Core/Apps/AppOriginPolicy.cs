namespace Berth.Core.Apps;

/// <summary>
/// Which browser requests to an app the proxy refuses because another page made them (cross-site request forgery and
/// cross-site WebSocket hijacking): a WebSocket upgrade, or a state-changing request (POST, PUT, PATCH, DELETE), whose
/// <c>Origin</c> is not the app's own origin as the browser sees it — or, without an <c>Origin</c>, whose
/// <c>Sec-Fetch-Site</c> says another site or another origin of the same site sent it. Requests with neither (the CLI,
/// curl, scripts) pass: only browsers attach a victim's cookies on their own.
/// </summary>
public static class AppOriginPolicy
{
    public const string Rule = "app-origin-refused";

    public static bool IsStateChanging(string method) =>
        method.Equals("POST", StringComparison.OrdinalIgnoreCase) || method.Equals("PUT", StringComparison.OrdinalIgnoreCase)
        || method.Equals("PATCH", StringComparison.OrdinalIgnoreCase) || method.Equals("DELETE", StringComparison.OrdinalIgnoreCase);

    /// <summary>Null when the request may pass; otherwise why it is refused (for the problem's detail and the log).</summary>
    /// <param name="requestScheme">The scheme the request arrived with (<c>http</c>, <c>https</c>).</param>
    /// <param name="requestHost">Its <c>Host</c> header: together with the scheme, the origin the browser sent it to.</param>
    public static string? Refusal(string method, bool isUpgrade, string? origin, string? secFetchSite, string requestScheme, string? requestHost)
    {
        if (!isUpgrade && !IsStateChanging(method)) return null;
        var what = isUpgrade ? "A WebSocket upgrade" : $"A {method.ToUpperInvariant()} request";
        if (!string.IsNullOrWhiteSpace(origin))
        {
            if (AppOrigin.IsSameOrigin(origin, requestScheme, requestHost)) return null;
            var own = AppOrigin.TryFromRequest(requestScheme, requestHost, out var o) ? o.ToString() : "(no Host header)";
            return $"{what} from the page at {Describe(origin)} is refused: only the app's own pages ({own}) may make it.";
        }
        var site = secFetchSite?.Trim();
        if (site is not null && (site.Equals("cross-site", StringComparison.OrdinalIgnoreCase) || site.Equals("same-site", StringComparison.OrdinalIgnoreCase)))
            return $"{what} made by another page (Sec-Fetch-Site: {site}) is refused: only the app's own pages may make it.";
        return null;
    }

    private static string Describe(string origin) => AppOrigin.TryParse(origin, out var parsed) ? parsed.ToString() : $"'{origin.Trim()}'";
}
