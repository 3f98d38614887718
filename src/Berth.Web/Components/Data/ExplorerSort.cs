using Berth.Core.Contracts;

namespace Berth.Web.Components.Data;

public enum ExplorerColumn { Name, Size, Modified, Type }

/// <summary>
/// How the explorer orders a directory's entries: directories before everything else whatever the column (as file
/// managers do, so the way down stays at the top), then by the column, then by name so that equal sizes or times
/// keep a stable, predictable order.
/// </summary>
public static class ExplorerSort
{
    public static IReadOnlyList<FileEntryDto> Apply(IEnumerable<FileEntryDto> entries, ExplorerColumn column, bool descending)
    {
        var byKind = entries.OrderBy(e => e.Kind == "directory" ? 0 : 1);
        var ordered = column switch
        {
            ExplorerColumn.Size => Then(byKind, e => e.Size, descending),
            ExplorerColumn.Modified => Then(byKind, e => e.Modified, descending),
            ExplorerColumn.Type => Then(byKind, TypeLabel, descending, StringComparer.OrdinalIgnoreCase),
            _ => Then(byKind, e => e.Name, descending, StringComparer.OrdinalIgnoreCase),
        };
        return ordered.ThenBy(e => e.Name, StringComparer.Ordinal).ToList();
    }

    /// <summary>The Type column's text: "Directory", "Symlink", or the file's extension ("TXT file"; "File" without one).</summary>
    public static string TypeLabel(FileEntryDto e) => e.Kind switch
    {
        "directory" => "Directory",
        "symlink" => "Symlink",
        "file" => Path.GetExtension(e.Name) is { Length: > 1 } ext ? ext[1..].ToUpperInvariant() + " file" : "File",
        _ => "Other",
    };

    private static IOrderedEnumerable<FileEntryDto> Then<TKey>(
        IOrderedEnumerable<FileEntryDto> source, Func<FileEntryDto, TKey> key, bool descending, IComparer<TKey>? comparer = null) =>
        descending ? source.ThenByDescending(key, comparer) : source.ThenBy(key, comparer);
}
