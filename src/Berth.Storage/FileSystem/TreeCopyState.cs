using Berth.Storage.Native;

namespace Berth.Storage.FileSystem;

/// <summary>
/// The inode map of one tree copy: for each multiply-linked source file already copied, where its
/// copy lives in the target, so its other names become hard links to that copy rather than copies.
/// Paths are kept (not fds), so a tree with many linked files does not run out of descriptors;
/// the target is new and only this copy writes to it, so walking back to a copy finds it.
/// </summary>
internal sealed class TreeCopyState(SafeDir targetRoot, Action<SafeDir, string> created)
{
    private readonly Dictionary<(ulong Device, ulong Inode), string[]> _copied = [];
    private readonly List<string> _path = [];

    public void Created(SafeDir dir, string name) => created(dir, name);

    public void Enter(string name) => _path.Add(name);

    public void Leave() => _path.RemoveAt(_path.Count - 1);

    public void RememberCopied(StatInfo source, string name) =>
        _copied.TryAdd((source.Device, source.Inode), [.. _path, name]);

    /// <summary>Links <paramref name="name"/> to the earlier copy of the same source inode; false when there is none (or linking failed, e.g. EMLINK), so the caller copies.</summary>
    public bool TryLinkToCopied(StatInfo source, SafeDir target, string name)
    {
        if (!_copied.TryGetValue((source.Device, source.Inode), out var first)) return false;
        var dir = targetRoot.Reopen();
        try
        {
            for (var i = 0; i < first.Length - 1; i++)
            {
                var next = dir.OpenDir(first[i]);
                dir.Dispose();
                dir = next;
            }
            dir.Link(first[^1], target, name);
            return true;
        }
        catch (PosixException)
        {
            return false;
        }
        finally
        {
            dir.Dispose();
        }
    }
}
