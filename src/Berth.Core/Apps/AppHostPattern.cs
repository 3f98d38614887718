using System.Text.RegularExpressions;

namespace Berth.Core.Apps;

/// <summary>
/// <c>Apps:HostPattern</c>: a host name per opened app (<c>{token}.apps.example.org</c>, with a wildcard DNS name
/// pointing at the manager), so that each app is an origin of its own and the browser keeps its cookies and storage
/// from every other app's — the way Coder and JupyterHub isolate user servers. <c>{token}</c> appears exactly once,
/// in the leftmost label.
/// </summary>
public sealed partial class AppHostPattern
{
    public const string Placeholder = "{token}";

    private readonly string _before;
    private readonly string _after;

    private AppHostPattern(string text, string before, string after)
    {
        Text = text;
        _before = before;
        _after = after;
    }

    public string Text { get; }

    /// <summary>Null/empty: no per-app host names (the pattern is off, <paramref name="pattern"/> null, the answer true).</summary>
    public static bool TryParse(string? text, out AppHostPattern? pattern, out string? error)
    {
        pattern = null;
        error = null;
        var t = text?.Trim().ToLowerInvariant() ?? "";
        if (t.Length == 0) return true;
        var first = t.IndexOf(Placeholder, StringComparison.Ordinal);
        if (first < 0 || t.IndexOf(Placeholder, first + 1, StringComparison.Ordinal) >= 0)
        {
            error = $"'{text}' must contain {Placeholder} exactly once, e.g. {Placeholder}.apps.example.org.";
            return false;
        }
        var labels = t.Replace(Placeholder, "t", StringComparison.Ordinal).Split('.');
        var dot = t.IndexOf('.');
        if (dot < 0 || first > dot)
        {
            error = $"'{text}': {Placeholder} must be in the leftmost label and a domain must follow it (e.g. {Placeholder}.apps.example.org).";
            return false;
        }
        if (labels.Any(l => !Label().IsMatch(l)) || t.Length - Placeholder.Length + 32 > 253)
        {
            error = $"'{text}' is not a host name: labels of letters, digits and inner hyphens, separated by dots (no port, no scheme).";
            return false;
        }
        pattern = new AppHostPattern(t, t[..first], t[(first + Placeholder.Length)..]);
        return true;
    }

    /// <summary>The app's host name.</summary>
    public string HostFor(string token) => _before + token + _after;

    /// <summary>The token when <paramref name="host"/> (without its port) is one of the pattern's host names.</summary>
    public bool TryMatch(string? host, out string token)
    {
        token = "";
        if (string.IsNullOrEmpty(host)) return false;
        var h = host.TrimEnd('.');
        if (h.Length <= _before.Length + _after.Length
            || !h.StartsWith(_before, StringComparison.OrdinalIgnoreCase) || !h.EndsWith(_after, StringComparison.OrdinalIgnoreCase))
            return false;
        var middle = h[_before.Length..^_after.Length];
        if (!Token().IsMatch(middle)) return false;
        token = middle.ToLowerInvariant();
        return true;
    }

    public override string ToString() => Text;

    [GeneratedRegex("^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")]
    private static partial Regex Label();

    /// <summary>Tokens are lowercase hex; nothing else (no dots: one label) can name an app.</summary>
    [GeneratedRegex("^[0-9a-fA-F]{1,63}$")]
    private static partial Regex Token();
}
