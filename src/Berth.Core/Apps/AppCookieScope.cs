using System.Security.Cryptography;
using System.Text;

namespace Berth.Core.Apps;

/// <summary>
/// Keeps the cookies of apps apart when browsers would not. Browsers send a host's cookies to every port of it (and
/// every path URL shares the manager's origin), so on those entries each cookie an app sets is renamed
/// <c>bapp_KEY_NAME</c>, made HttpOnly and host-only, and a request carries to the app only the cookies with its own
/// <c>KEY</c>, under their own names: no app ever receives another app's cookies, nor Berth's (<c>berth_*</c>).
/// An app on a host name of its own (<c>Apps:HostPattern</c>) is an origin of its own: its cookies keep their names and
/// only Berth's are taken out.
/// </summary>
/// <remarks>
/// Cookies that page JavaScript writes with <c>document.cookie</c> never pass the proxy's renaming: on a shared host they
/// reach every app of that host in the browser, so on these entries they are dropped (an app that needs them needs
/// a host name of its own).
/// </remarks>
public sealed class AppCookieScope
{
    /// <summary>Berth's own cookies (the proxy's login, the console's): never forwarded to an app, never set by one.</summary>
    public const string BerthPrefix = "berth_";
    public const string AppPrefix = "bapp_";

    private readonly string? _prefix;
    private readonly string _pathPrefix;

    private AppCookieScope(string? prefix, string pathPrefix)
    {
        _prefix = prefix;
        _pathPrefix = pathPrefix;
    }

    /// <summary>For an app on a shared host (its own port, or a path URL under <paramref name="pathPrefix"/>).</summary>
    public static AppCookieScope Renamed(string key, string pathPrefix = "") => new(AppPrefix + key + "_", pathPrefix.TrimEnd('/'));

    /// <summary>For an app on an origin of its own, where the browser keeps its cookies from every other app.</summary>
    public static AppCookieScope OwnOrigin() => new(null, "");

    /// <summary>
    /// The app's cookie key: the same for every open of one app of one session (so its cookies survive a re-open, a
    /// new port or token, a manager restart) and different for every other app. It need not be secret: knowing it
    /// lets no one receive the cookies, only the app itself is sent them.
    /// </summary>
    public static string KeyFor(Guid sessionId, string app) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sessionId.ToString("N") + "/" + app)))[..16];

    public static bool IsReserved(string name) =>
        name.StartsWith(BerthPrefix, StringComparison.OrdinalIgnoreCase) || name.StartsWith(AppPrefix, StringComparison.OrdinalIgnoreCase);

    /// <summary>The <c>Cookie</c> header to send the app (null: none), from the browser's <c>Cookie</c> header(s).</summary>
    public string? ForRequest(IEnumerable<string> cookieHeaders)
    {
        var kept = new List<string>();
        foreach (var header in cookieHeaders)
        foreach (var pair in header.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var name = eq < 0 ? "" : pair[..eq].Trim();
            if (name.Length == 0) continue;
            if (_prefix is null)
            {
                if (!IsReserved(name)) kept.Add(pair);
            }
            else if (name.StartsWith(_prefix, StringComparison.Ordinal) && name.Length > _prefix.Length)
            {
                kept.Add(pair[_prefix.Length..]);
            }
        }
        return kept.Count == 0 ? null : string.Join("; ", kept);
    }

    /// <summary>The app's <c>Set-Cookie</c> as the browser gets it, or null to drop it.</summary>
    public string? ForResponse(string setCookie)
    {
        var parts = setCookie.Split(';', StringSplitOptions.TrimEntries);
        var eq = parts[0].IndexOf('=');
        var name = eq < 0 ? "" : parts[0][..eq].Trim();
        if (name.Length == 0) return null;
        var result = new StringBuilder();
        if (_prefix is null)
        {
            if (IsReserved(name)) return null;
            result.Append(parts[0]);
        }
        else
        {
            result.Append(_prefix).Append(name).Append(parts[0], eq, parts[0].Length - eq);
        }
        var httpOnly = false;
        foreach (var attribute in parts.Skip(1))
        {
            if (attribute.Length == 0) continue;
            var attrEq = attribute.IndexOf('=');
            var attrName = (attrEq < 0 ? attribute : attribute[..attrEq]).Trim();
            // Domain= would widen the cookie to sibling hosts (other apps' host names): cookies stay host-only.
            if (attrName.Equals("Domain", StringComparison.OrdinalIgnoreCase)) continue;
            if (attrName.Equals("HttpOnly", StringComparison.OrdinalIgnoreCase)) httpOnly = true;
            if (attrName.Equals("Path", StringComparison.OrdinalIgnoreCase) && _pathPrefix.Length > 0)
            {
                var path = attrEq < 0 ? "" : attribute[(attrEq + 1)..].Trim();
                result.Append("; Path=").Append(_pathPrefix).Append(path.StartsWith('/') ? path : "/" + path);
                continue;
            }
            result.Append("; ").Append(attribute);
        }
        // On a shared host page JavaScript of other apps could read it; the app's own scripts cannot find it under its
        // new name anyway, so HttpOnly costs it nothing.
        if (_prefix is not null && !httpOnly) result.Append("; HttpOnly");
        return result.ToString();
    }
}
