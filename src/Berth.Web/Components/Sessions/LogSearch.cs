namespace Berth.Web.Components.Sessions;

/// <summary>The logs dialog's search: which lines match (case-insensitive) and where, so matches can be highlighted.</summary>
public static class LogSearch
{
    public static IEnumerable<string> Filter(IEnumerable<string> lines, string? search) =>
        string.IsNullOrEmpty(search) ? lines : lines.Where(l => l.Contains(search, StringComparison.OrdinalIgnoreCase));

    /// <summary>The line in pieces, each marked whether it is a match of <paramref name="search"/>.</summary>
    public static IEnumerable<(string Text, bool Match)> Split(string line, string? search)
    {
        if (string.IsNullOrEmpty(search))
        {
            yield return (line, false);
            yield break;
        }
        var at = 0;
        while (at < line.Length)
        {
            var hit = line.IndexOf(search, at, StringComparison.OrdinalIgnoreCase);
            if (hit < 0) break;
            if (hit > at) yield return (line[at..hit], false);
            yield return (line.Substring(hit, search.Length), true);
            at = hit + search.Length;
        }
        if (at < line.Length) yield return (line[at..], false);
    }
}
