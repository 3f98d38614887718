using System.Buffers;
using Berth.Storage.Native;
using Microsoft.Win32.SafeHandles;

namespace Berth.Storage.FileSystem;

/// <summary>
/// Recursive work over a directory tree using only fd-relative primitives, so a link inside the
/// tree is handled as a link (removed, counted or copied) and never descended into.
/// Recursion holds one fd per level; folder trees deeper than the fd limit fail cleanly.
/// </summary>
public static class TreeOperations
{
    public const int CopyBufferSize = 1 << 20;

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

    public static (long Bytes, long Files, long Directories) Measure(SafeDir dir, CancellationToken ct)
    {
        long bytes = 0, files = 0, dirs = 0;
        foreach (var name in dir.Names())
        {
            ct.ThrowIfCancellationRequested();
            var st = dir.Stat(name);
            if (st is null) continue;
            if (st.Value.Type == NodeType.Directory)
            {
                dirs++;
                SafeDir child;
                try { child = dir.OpenDir(name); }
                catch (PosixException e) when (e.Errno is Posix.ENOENT or Posix.ELOOP or Posix.ENOTDIR) { continue; }
                using (child)
                {
                    var (b, f, d) = Measure(child, ct);
                    bytes += b; files += f; dirs += d;
                }
            }
            else
            {
                files++;
                if (st.Value.Type == NodeType.File) bytes += st.Value.Size;
            }
        }
        return (bytes, files, dirs);
    }

    /// <summary>
    /// Copies the contents of <paramref name="source"/> into the empty <paramref name="target"/>.
    /// Symlinks are recreated as symlinks with the same text; sockets, fifos and devices are skipped.
    /// </summary>
    public static void CopyContents(SafeDir source, SafeDir target, Action<SafeDir, string> created, CancellationToken ct)
    {
        foreach (var name in source.Names())
        {
            ct.ThrowIfCancellationRequested();
            var st = source.Stat(name);
            if (st is null) continue;
            switch (st.Value.Type)
            {
                case NodeType.Directory:
                    target.Mkdir(name, st.Value.Mode & 0x1FF | 0b111_000_000);
                    created(target, name);
                    using (var from = source.OpenDir(name))
                    using (var to = target.OpenDir(name))
                        CopyContents(from, to, created, ct);
                    break;
                case NodeType.File:
                    using (var input = source.OpenFile(name, Posix.O_RDONLY))
                    using (var output = target.OpenFile(name, Posix.O_WRONLY | Posix.O_CREAT | Posix.O_EXCL, st.Value.Mode & 0x1FF))
                    {
                        CopyData(input, output, ct);
                        LibC.fchmod(output, (uint)(st.Value.Mode & 0x1FF));
                    }
                    created(target, name);
                    break;
                case NodeType.Symlink:
                    target.Symlink(source.ReadLink(name), name);
                    created(target, name);
                    break;
            }
        }
    }

    public static void CopyData(SafeFileHandle input, SafeFileHandle output, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
        try
        {
            long offset = 0;
            int n;
            while ((n = RandomAccess.Read(input, buffer.AsSpan(0, CopyBufferSize), offset)) > 0)
            {
                ct.ThrowIfCancellationRequested();
                RandomAccess.Write(output, buffer.AsSpan(0, n), offset);
                offset += n;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
