using Berth.Storage.Native;
using Berth.Storage.Paths;

namespace Berth.Storage.FileSystem;

/// <summary>
/// Walks a <see cref="FolderPath"/> one component at a time from an open folder root with
/// openat(O_DIRECTORY|O_NOFOLLOW). Because each step is relative to the directory fd from the
/// previous one, swapping a directory for a symlink mid-operation (TOCTOU) cannot redirect us.
/// </summary>
public static class FolderWalker
{
    /// <summary>Opens the directory at <paramref name="path"/>; the caller owns the result.</summary>
    public static SafeDir OpenDirectory(SafeDir root, FolderPath path, string field) =>
        Walk(root, path, path.Components.Count, field, create: null);

    /// <summary>Opens the directory holding <paramref name="path"/>'s last component.</summary>
    public static SafeDir OpenParent(SafeDir root, FolderPath path, string field) =>
        Walk(root, path, path.Components.Count - 1, field, create: null);

    /// <summary>
    /// Opens the first <paramref name="depth"/> components, creating missing directories
    /// (mkdir -p); <paramref name="created"/> is told about each new one (to chown it).
    /// </summary>
    public static SafeDir OpenOrCreate(SafeDir root, FolderPath path, int depth, string field, Action<SafeDir, string> created) =>
        Walk(root, path, depth, field, created);

    private static SafeDir Walk(SafeDir root, FolderPath path, int depth, string field, Action<SafeDir, string>? create)
    {
        var current = root.Reopen();
        try
        {
            for (var i = 0; i < depth; i++)
            {
                var name = path.Components[i];
                if (create is not null && current.TryMkdir(name)) create(current, name);
                SafeDir next;
                try
                {
                    next = current.OpenDir(name);
                }
                catch (PosixException e)
                {
                    throw Explain(current, name, e, Prefix(path, i + 1), field);
                }
                current.Dispose();
                current = next;
            }
            return current;
        }
        catch
        {
            current.Dispose();
            throw;
        }
    }

    /// <summary>Why a component could not be opened as a directory: a link, a file, or missing.</summary>
    public static Exception Explain(SafeDir parent, string name, PosixException e, FolderPath shown, string field)
    {
        if (e.Errno is Posix.ELOOP or Posix.ENOTDIR)
        {
            var st = parent.Stat(name);
            return st?.Type == NodeType.Symlink
                ? StorageErrors.SymlinkNotFollowed(shown, field).ToException()
                : StorageErrors.NotADirectory(shown, field).ToException();
        }
        return StorageErrors.From(e, shown, field);
    }

    private static FolderPath Prefix(FolderPath path, int count)
    {
        var p = FolderPath.Root;
        for (var i = 0; i < count; i++) p = p.Append(path.Components[i]);
        return p;
    }
}
