namespace Berth.Storage.Backend;

public enum FileEntryKind { File, Directory, Symlink, Other }

/// <param name="Path">Relative to the folder root, "" for the root itself.</param>
/// <param name="Mode">Permission bits (e.g. 0o644), without the file type.</param>
/// <param name="LinkTarget">For a symlink, the text of the link (never followed); otherwise null.</param>
public sealed record FileEntry(string Name, string Path, FileEntryKind Kind, long Size, DateTimeOffset Modified, int Mode, string? LinkTarget);
