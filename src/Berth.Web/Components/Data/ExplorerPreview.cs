using Berth.Core.Contracts;

namespace Berth.Web.Components.Data;

public enum PreviewKind { None, Text, Image }

/// <summary>
/// Which files the explorer previews, and how much it reads: text is read through the console (so it is capped at
/// <see cref="MaxTextBytes"/>, the rest marked as cut), an image is loaded by the browser straight from storage, so
/// only images up to <see cref="MaxImageBytes"/> are offered at all.
/// </summary>
public static class ExplorerPreview
{
    public const int MaxTextBytes = 1 << 20;
    public const long MaxImageBytes = 10L << 20;

    private static readonly HashSet<string> TextExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".txt", ".md", ".log", ".csv", ".tsv", ".json", ".yaml", ".yml", ".toml", ".ini", ".cfg", ".conf", ".xml", ".html",
        ".css", ".js", ".ts", ".py", ".ipynb", ".r", ".sh", ".c", ".h", ".cpp", ".cs", ".java", ".go", ".rs", ".sql",
    };

    private static readonly HashSet<string> ImageExtensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".png", ".jpg", ".jpeg", ".gif", ".webp", ".bmp",
    };

    public static PreviewKind Of(FileEntryDto entry)
    {
        if (entry.Kind != "file") return PreviewKind.None;
        var ext = Path.GetExtension(entry.Name);
        if (ImageExtensions.Contains(ext)) return entry.Size <= MaxImageBytes ? PreviewKind.Image : PreviewKind.None;
        // Text is capped when read, so a large log can still show its beginning.
        return TextExtensions.Contains(ext) || ext.Length == 0 ? PreviewKind.Text : PreviewKind.None;
    }
}
