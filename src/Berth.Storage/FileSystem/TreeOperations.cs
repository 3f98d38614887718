using Berth.Storage.Native;

namespace Berth.Storage.FileSystem;

/// <summary>
/// Recursive work over a directory tree using only fd-relative primitives, so a link inside the
/// tree is handled as a link (removed, counted or copied) and never descended into.
/// Recursion holds one fd per level; folder trees deeper than the fd limit fail cleanly.
/// </summary>
public static class TreeOperations
{
    /// <summary>Removes <paramref name="name"/> in <paramref name="parent"/> and, for a directory, all it holds.</summary>
    public static void Remove(SafeDir parent, string name, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var st = parent.Stat(name);
        if (st is null) return;
        if (st.Value.Type != NodeType.Directory)
        {
            parent.Unlink(name, directory: false);
            return;
        }
        SafeDir dir;
        try
        {
            dir = parent.OpenDir(name);
        }
        catch (PosixException e) when (e.Errno is Posix.ELOOP or Posix.ENOTDIR)
        {
            // Swapped for a link or file since the stat: remove that instead of following it.
            parent.Unlink(name, directory: false);
            return;
        }
        using (dir)
        {
            foreach (var child in dir.Names()) Remove(dir, child, ct);
        }
        parent.Unlink(name, directory: true);
    }

    /// <summary>
    /// Counts what the tree under <paramref name="dir"/> holds. A file reached by several hard links
    /// is counted once, so linking a big file a thousand times neither hides nor multiplies it.
    /// </summary>
    public static TreeUsage Measure(SafeDir dir, CancellationToken ct)
    {
        var usage = new Counter();
        Measure(dir, usage, new HashSet<(ulong, ulong)>(), ct);
        return new TreeUsage(usage.Allocated, usage.Apparent, usage.Files, usage.Directories);
    }

    private sealed class Counter
    {
        public long Allocated, Apparent, Files, Directories;
    }

    private static void Measure(SafeDir dir, Counter usage, HashSet<(ulong, ulong)> seen, CancellationToken ct)
    {
        foreach (var name in dir.Names())
        {
            ct.ThrowIfCancellationRequested();
            if (dir.Stat(name) is not { } st) continue;
            if (st.Type == NodeType.Directory)
            {
                usage.Directories++;
                usage.Allocated += st.AllocatedBytes;
                SafeDir child;
                try { child = dir.OpenDir(name); }
                catch (PosixException e) when (e.Errno is Posix.ENOENT or Posix.ELOOP or Posix.ENOTDIR) { continue; }
                using (child) Measure(child, usage, seen, ct);
                continue;
            }
            usage.Files++;
            if (st.Links > 1 && !seen.Add((st.Device, st.Inode))) continue;
            usage.Allocated += st.AllocatedBytes;
            if (st.Type == NodeType.File) usage.Apparent += st.Size;
        }
    }

    /// <summary>
    /// Copies the contents of <paramref name="source"/> into the empty <paramref name="target"/>.
    /// Symlinks are recreated as symlinks with the same text; sockets, fifos and devices are skipped.
    /// Files keep their holes (<see cref="FileCopy"/>), and files hard-linked to each other inside the
    /// tree stay one inode in the copy, so a clone never takes more space than its source.
    /// </summary>
    public static void CopyContents(SafeDir source, SafeDir target, Action<SafeDir, string> created, CancellationToken ct) =>
        CopyContents(source, target, new TreeCopyState(target, created), ct);

    private static void CopyContents(SafeDir source, SafeDir target, TreeCopyState state, CancellationToken ct)
    {
        foreach (var name in source.Names())
        {
            ct.ThrowIfCancellationRequested();
            if (source.Stat(name) is not { } st) continue;
            switch (st.Type)
            {
                case NodeType.Directory:
                    target.Mkdir(name, st.Mode & 0x1FF | 0b111_000_000);
                    state.Created(target, name);
                    using (var from = source.OpenDir(name))
                    using (var to = target.OpenDir(name))
                    {
                        state.Enter(name);
                        CopyContents(from, to, state, ct);
                        state.Leave();
                    }
                    break;
                case NodeType.File:
                    if (st.Links > 1 && state.TryLinkToCopied(st, target, name)) break;
                    using (var input = source.OpenFile(name, Posix.O_RDONLY))
                    using (var output = target.OpenFile(name, Posix.O_WRONLY | Posix.O_CREAT | Posix.O_EXCL, st.Mode & 0x1FF))
                    {
                        FileCopy.Copy(input, output, ct);
                        LibC.fchmod(output, (uint)(st.Mode & 0x1FF));
                    }
                    state.Created(target, name);
                    if (st.Links > 1) state.RememberCopied(st, name);
                    break;
                case NodeType.Symlink:
                    target.Symlink(source.ReadLink(name), name);
                    state.Created(target, name);
                    break;
            }
        }
    }
}
