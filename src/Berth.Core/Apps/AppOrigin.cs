using System.Globalization;

namespace Berth.Core.Apps;

/// <summary>
/// A web origin (scheme, host, port) as browsers compare them: scheme and host without case, a missing port as the
/// scheme's default, IPv6 literals in one canonical spelling. Used to tell an app's own pages from any other page.
/// </summary>
public readonly record struct AppOrigin(string Scheme, string Host, int Port)
{
    /// <summary>
    /// An <c>Origin</c> header (<c>scheme://host[:port]</c>, nothing after it). The opaque origin <c>null</c> (sandboxed
    /// frames, <c>file:</c> pages, some redirects) and anything with a path, query, user or an unknown scheme are not origins.
    /// </summary>
    public static bool TryParse(string? text, out AppOrigin origin)
    {
        origin = default;
        var t = text?.Trim();
        if (string.IsNullOrEmpty(t) || t.Equals("null", StringComparison.OrdinalIgnoreCase)) return false;
        var separator = t.IndexOf("://", StringComparison.Ordinal);
        if (separator <= 0) return false;
        return TryCreate(t[..separator], t[(separator + 3)..], out origin);
    }

    /// <summary>The origin a request was sent to: its scheme and its <c>Host</c> header (<c>host[:port]</c>).</summary>
    public static bool TryFromRequest(string scheme, string? hostHeader, out AppOrigin origin)
    {
        origin = default;
        return !string.IsNullOrWhiteSpace(hostHeader) && TryCreate(scheme, hostHeader.Trim(), out origin);
    }

    /// <summary>Whether <paramref name="originHeader"/> is the origin the request itself was sent to.</summary>
    public static bool IsSameOrigin(string? originHeader, string requestScheme, string? requestHost) =>
        TryParse(originHeader, out var from) && TryFromRequest(requestScheme, requestHost, out var to) && from == to;

    private static bool TryCreate(string scheme, string authority, out AppOrigin origin)
    {
        origin = default;
        var s = scheme.ToLowerInvariant();
        if (s is not ("http" or "https" or "ws" or "wss")) return false;
        // Only an authority: a path, query, fragment or user part means this is not an origin.
        if (authority.Length == 0 || authority.IndexOfAny(['/', '?', '#', '@', '\\', ' ']) >= 0) return false;
        if (!Uri.TryCreate(s + "://" + authority, UriKind.Absolute, out var uri) || uri.HostNameType == UriHostNameType.Unknown) return false;
        // Uri lowercases the host and writes IPv6 literals canonically ([0:0::1] → [::1]); Port is the default when absent.
        var host = uri.HostNameType == UriHostNameType.IPv6 ? "[" + uri.IdnHost.Trim('[', ']') + "]" : uri.IdnHost;
        // ws/wss share http/https's ports and, for the comparison, their scheme (a page's socket has the page's origin).
        var normalized = s switch { "ws" => "http", "wss" => "https", _ => s };
        origin = new AppOrigin(normalized, host.ToLowerInvariant(), uri.Port);
        return true;
    }

    public override string ToString()
    {
        var isDefault = (Scheme == "http" && Port == 80) || (Scheme == "https" && Port == 443);
        return isDefault ? $"{Scheme}://{Host}" : $"{Scheme}://{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
    }
}
