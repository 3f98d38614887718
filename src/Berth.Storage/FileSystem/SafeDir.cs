using System.Runtime.InteropServices;
using System.Text;
using Berth.Storage.Native;
using Microsoft.Win32.SafeHandles;

namespace Berth.Storage.FileSystem;

/// <summary>
/// An open directory and the fd-relative operations on single names inside it. Every call
/// passes one path component (never a path with '/'), with O_NOFOLLOW / AT_SYMLINK_NOFOLLOW,
/// so a symlink planted by a session can be seen, moved or removed but is never traversed.
/// Failures throw <see cref="PosixException"/>; callers that know the user's path turn them
/// into problems.
/// </summary>
public sealed unsafe class SafeDir : IDisposable
{
    private const uint StatxBasicStats = 0x7ff;
    private const int StatxBufferSize = 256;

    private readonly FdHandle _fd;

    private SafeDir(FdHandle fd) => _fd = fd;

    /// <summary>Opens an administrator-configured directory (a volume); its last component must not be a link.</summary>
    public static SafeDir OpenAbsolute(string path)
    {
        var fd = LibC.open(path, Posix.DirFlags, 0);
        return fd < 0 ? throw Fail("open", path) : new SafeDir(new FdHandle(fd));
    }

    public SafeDir OpenDir(string name)
    {
        var fd = LibC.openat(_fd, Check(name), Posix.DirFlags, 0);
        return fd < 0 ? throw Fail("openat", name) : new SafeDir(new FdHandle(fd));
    }

    /// <summary>A second handle on this same directory (not a path lookup), for callers that need to own one.</summary>
    public SafeDir Reopen()
    {
        var fd = LibC.openat(_fd, ".", Posix.DirFlags, 0);
        return fd < 0 ? throw Fail("openat", ".") : new SafeDir(new FdHandle(fd));
    }

    /// <summary>Opens a regular file (or creates one, with O_CREAT in flags); never through a link.</summary>
    public SafeFileHandle OpenFile(string name, int flags, int mode = 0b110_100_100)
    {
        var fd = LibC.openat(_fd, Check(name), flags | Posix.O_NOFOLLOW | Posix.O_CLOEXEC, mode);
        return fd < 0 ? throw Fail("openat", name) : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Stats an entry without following it; null when it does not exist.</summary>
    public StatInfo? Stat(string name)
    {
        byte* buf = stackalloc byte[StatxBufferSize];
        if (LibC.statx(_fd, Check(name), Posix.AT_SYMLINK_NOFOLLOW, StatxBasicStats, buf) == 0)
            return StatInfo.FromStatx(buf);
        var errno = Marshal.GetLastPInvokeError();
        return errno == Posix.ENOENT ? null : throw new PosixException(errno, "statx", name);
    }

    /// <summary>Stats this directory itself.</summary>
    public StatInfo StatSelf()
    {
        byte* buf = stackalloc byte[StatxBufferSize];
        if (LibC.statx(_fd, "", Posix.AT_EMPTY_PATH | Posix.AT_SYMLINK_NOFOLLOW, StatxBasicStats, buf) == 0)
            return StatInfo.FromStatx(buf);
        throw new PosixException(Marshal.GetLastPInvokeError(), "statx", ".");
    }

    /// <summary>
    /// Names in this directory. /proc/self/fd/N resolves to the directory object we hold,
    /// not to a path, so this cannot be redirected; "." and ".." are not returned.
    /// </summary>
    public List<string> Names()
    {
        bool added = false;
        try
        {
            _fd.DangerousAddRef(ref added);
            var dir = $"/proc/self/fd/{(int)_fd.DangerousGetHandle()}";
            var names = new List<string>();
            foreach (var entry in Directory.EnumerateFileSystemEntries(dir))
                names.Add(entry[(dir.Length + 1)..]);
            names.Sort(StringComparer.Ordinal);
            return names;
        }
        finally
        {
            if (added) _fd.DangerousRelease();
        }
    }

    public void Mkdir(string name, int mode = 0b111_101_101) =>
        Ok(LibC.mkdirat(_fd, Check(name), mode), "mkdirat", name);

    /// <summary>Creates a directory; false if something already has that name.</summary>
    public bool TryMkdir(string name, int mode = 0b111_101_101)
    {
        if (LibC.mkdirat(_fd, Check(name), mode) == 0) return true;
        var errno = Marshal.GetLastPInvokeError();
        return errno == Posix.EEXIST ? false : throw new PosixException(errno, "mkdirat", name);
    }

    /// <summary>Removes a name; a symlink is removed as the link itself.</summary>
    public void Unlink(string name, bool directory) =>
        Ok(LibC.unlinkat(_fd, Check(name), directory ? Posix.AT_REMOVEDIR : 0), "unlinkat", name);

    /// <summary>Renames, replacing a non-directory at the destination (renameat semantics).</summary>
    public void Rename(string name, SafeDir target, string targetName) =>
        Ok(LibC.renameat(_fd, Check(name), target._fd, Check(targetName)), "renameat", name);

    /// <summary>Renames atomically, failing with EEXIST when the destination name is taken.</summary>
    public void RenameNoReplace(string name, SafeDir target, string targetName)
    {
        if (LibC.renameat2(_fd, Check(name), target._fd, Check(targetName), Posix.RENAME_NOREPLACE) == 0) return;
        var errno = Marshal.GetLastPInvokeError();
        if (errno is not (Posix.EINVAL or Posix.ENOSYS or Posix.EOPNOTSUPP))
            throw new PosixException(errno, "renameat2", name);
        // Some file systems lack RENAME_NOREPLACE; fall back to check-then-rename, which can only
        // lose a race against another writer inside the same folder, never escape it.
        if (target.Stat(targetName) is not null) throw new PosixException(Posix.EEXIST, "renameat", targetName);
        Rename(name, target, targetName);
    }

    public string ReadLink(string name)
    {
        byte* buf = stackalloc byte[4096];
        var n = LibC.readlinkat(_fd, Check(name), buf, 4096);
        if (n < 0) throw new PosixException(Marshal.GetLastPInvokeError(), "readlinkat", name);
        return Encoding.UTF8.GetString(buf, (int)n);
    }

    /// <summary>Makes <paramref name="targetName"/> in <paramref name="target"/> another hard link to <paramref name="name"/> here (never following a link).</summary>
    public void Link(string name, SafeDir target, string targetName) =>
        Ok(LibC.linkat(_fd, Check(name), target._fd, Check(targetName), 0), "linkat", name);

    public void Symlink(string target, string name) =>
        Ok(LibC.symlinkat(target, _fd, Check(name)), "symlinkat", name);

    /// <summary>Changes owner of an entry without following links; -1 leaves an id unchanged.</summary>
    public void Chown(string name, int uid, int gid) =>
        Ok(LibC.fchownat(_fd, Check(name), uid, gid, Posix.AT_SYMLINK_NOFOLLOW), "fchownat", name);

    public void Dispose() => _fd.Dispose();

    // Defence in depth: FolderPath already rejects these, but a single-component API must
    // never be handed a path.
    private static string Check(string name) =>
        name.Length == 0 || name == "." || name == ".." || name.Contains('/') || name.Contains('\0')
            ? throw new ArgumentException($"'{name}' is not a single path component.", nameof(name))
            : name;

    private static void Ok(int rc, string op, string name)
    {
        if (rc != 0) throw new PosixException(Marshal.GetLastPInvokeError(), op, name);
    }

    private static PosixException Fail(string op, string name) => new(Marshal.GetLastPInvokeError(), op, name);
}
