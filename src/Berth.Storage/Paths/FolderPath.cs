using Berth.Core.Problems;

namespace Berth.Storage.Paths;

/// <summary>
/// A validated path inside a folder, as components. Parsing is purely lexical: it rejects
/// anything that could name a place outside the folder before the file system is touched.
/// Symlinks are dealt with later, by walking the components with fd-relative syscalls.
/// </summary>
public sealed class FolderPath
{
    private const int MaxLength = 4096;
    private const int MaxComponentBytes = 255;

    public static readonly FolderPath Root = new([]);

    private FolderPath(IReadOnlyList<string> components) => Components = components;

    public IReadOnlyList<string> Components { get; }

    public bool IsRoot => Components.Count == 0;

    /// <summary>Last component; empty for the root.</summary>
    public string Name => IsRoot ? "" : Components[^1];

    public FolderPath Parent => IsRoot ? this : new FolderPath(Components.Take(Components.Count - 1).ToArray());

    public FolderPath Append(string name) => new([.. Components, name]);

    /// <summary>True when this path is <paramref name="other"/> or lies beneath it.</summary>
    public bool IsSameOrUnder(FolderPath other) =>
        Components.Count >= other.Components.Count && other.Components.SequenceEqual(Components.Take(other.Components.Count));

    /// <summary>Normalised relative form, "" for the root, e.g. <c>a/b/c.txt</c>.</summary>
    public override string ToString() => string.Join('/', Components);

    /// <param name="path">User input; null, "", "." and "./" mean the folder root.</param>
    /// <param name="field">Request field reported in problems.</param>
    public static FolderPath Parse(string? path, string field = "path")
    {
        if (string.IsNullOrEmpty(path)) return Root;
        if (path.Length > MaxLength)
            throw Problem.Invalid(field, "path-invalid", $"The path is longer than {MaxLength} characters.").ToException();
        foreach (var c in path)
        {
            if (char.IsControl(c))
                throw Problem.Invalid(field, "path-invalid", "The path contains a NUL or control character.").ToException();
        }
        if (path[0] == '/')
            throw Problem.Invalid(field, "path-absolute", $"'{path}' is absolute; paths are relative to the folder root.").ToException();

        var components = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part.Length == 0 || part == ".") continue;
            // Rejected even where it would stay inside ("a/../b"): once symlinks exist, ".."
            // cannot be resolved lexically, and callers never need it.
            if (part == "..")
                throw Problem.Invalid(field, "path-escapes-folder", $"'{path}' contains '..'; paths may not leave the folder.").ToException();
            if (System.Text.Encoding.UTF8.GetByteCount(part) > MaxComponentBytes)
                throw Problem.Invalid(field, "path-invalid", $"A name in '{path}' is longer than {MaxComponentBytes} bytes.").ToException();
            components.Add(part);
        }
        return components.Count == 0 ? Root : new FolderPath(components);
    }
}
