using System.Globalization;

namespace Berth.Core.Apps;

/// <summary>
/// The pool of host ports the manager gives opened apps (Backend.AI's wsproxy model: each app at the root of an
/// origin of its own, so apps that emit absolute links such as Jupyter's <c>/static/…</c> work).
/// </summary>
public sealed record AppPortRange(int First, int Last)
{
    public const string DefaultText = "10250-10349";

    public int Count => Last - First + 1;

    public bool Contains(int port) => port >= First && port <= Last;

    /// <summary>
    /// <c>FIRST-LAST</c> (or one port). Null/empty/<c>off</c>/<c>none</c>/<c>disabled</c> switch the pool off
    /// (<paramref name="range"/> is null and the answer true). False with <paramref name="error"/> for anything else.
    /// </summary>
    public static bool TryParse(string? text, out AppPortRange? range, out string? error)
    {
        range = null;
        error = null;
        var t = text?.Trim() ?? "";
        if (t.Length == 0 || t.Equals("off", StringComparison.OrdinalIgnoreCase) || t.Equals("none", StringComparison.OrdinalIgnoreCase)
            || t.Equals("disabled", StringComparison.OrdinalIgnoreCase))
            return true;
        var parts = t.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length > 2 || !TryPort(parts[0], out var first) || !TryPort(parts[^1], out var last))
        {
            error = $"'{t}' is not a port range; write FIRST-LAST (e.g. {DefaultText}) with ports 1024–65535, or off.";
            return false;
        }
        if (last < first)
        {
            error = $"'{t}': the range ends before it starts.";
            return false;
        }
        range = new AppPortRange(first, last);
        return true;
    }

    private static bool TryPort(string s, out int port) =>
        int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port is >= 1024 and <= 65535;

    /// <summary>
    /// The ports to try, in order: <paramref name="preferred"/> first when it is in the range and not in use by
    /// another app, then the range's other ports that no app holds, lowest first. The caller tries to bind each in
    /// turn (another program may hold a port the pool thinks free) and takes the first that binds.
    /// </summary>
    public IEnumerable<int> Candidates(int? preferred, IReadOnlySet<int> inUse)
    {
        if (preferred is { } p && Contains(p) && !inUse.Contains(p)) yield return p;
        for (var port = First; port <= Last; port++)
            if (port != preferred && !inUse.Contains(port)) yield return port;
    }

    public override string ToString() => First == Last
        ? First.ToString(CultureInfo.InvariantCulture)
        : $"{First.ToString(CultureInfo.InvariantCulture)}-{Last.ToString(CultureInfo.InvariantCulture)}";
}
