namespace Berth.Web.Components.Data;

/// <summary>Paths inside a folder as the explorer keeps them: relative, '/'-separated, "" for the folder's root.</summary>
public static class ExplorerPaths
{
    /// <summary>The ?path= value made tidy: no leading, trailing or doubled slashes, no "." segments.</summary>
    public static string Normalize(string? path) =>
        string.Join('/', (path ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries).Where(s => s != "."));

    public static string Join(string directory, string name)
    {
        var dir = Normalize(directory);
        return dir.Length == 0 ? name : dir + "/" + name;
    }

    /// <summary>The breadcrumb: each ancestor of <paramref name="path"/> (itself last) with its own name.</summary>
    public static IReadOnlyList<(string Name, string Path)> Crumbs(string? path)
    {
        var segments = Normalize(path).Split('/', StringSplitOptions.RemoveEmptyEntries);
        return segments.Select((s, i) => (s, string.Join('/', segments[..(i + 1)]))).ToList();
    }
}
