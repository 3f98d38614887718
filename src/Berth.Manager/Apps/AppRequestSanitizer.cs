using Berth.Core.Auth;

namespace Berth.Manager.Apps;

/// <summary>
/// Takes Berth's credentials out of a request before it goes to an app: the HMAC <c>Authorization</c> (an app's own
/// scheme, e.g. Jupyter's <c>token</c>, passes) and every <c>X-Berth-*</c> header. Cookies are <see cref="Berth.Core.Apps.AppCookieScope"/>'s.
/// </summary>
public static class AppRequestSanitizer
{
    public const string BerthHeaderPrefix = "X-Berth-";

    public static void Clean(HttpRequestMessage proxyRequest)
    {
        if (proxyRequest.Headers.TryGetValues("Authorization", out var authorizations) && authorizations.Any(IsBerthAuthorization))
            proxyRequest.Headers.Remove("Authorization");
        foreach (var name in proxyRequest.Headers.Select(h => h.Key).Where(IsBerthHeader).ToList()) proxyRequest.Headers.Remove(name);
        if (proxyRequest.Content is { } content)
            foreach (var name in content.Headers.Select(h => h.Key).Where(IsBerthHeader).ToList()) content.Headers.Remove(name);
    }

    /// <summary>Berth's scheme, well-formed or not: a malformed signature is still no business of the app's.</summary>
    public static bool IsBerthAuthorization(string value)
    {
        var v = value.TrimStart();
        return v.StartsWith(RequestSignature.Scheme, StringComparison.OrdinalIgnoreCase)
               && (v.Length == RequestSignature.Scheme.Length || char.IsWhiteSpace(v[RequestSignature.Scheme.Length]));
    }

    private static bool IsBerthHeader(string name) => name.StartsWith(BerthHeaderPrefix, StringComparison.OrdinalIgnoreCase);
}
