using System.Runtime.InteropServices;

namespace Berth.Storage.Native;

/// <summary>
/// Flag and errno values. O_DIRECTORY and O_NOFOLLOW differ between x86-64 and arm64
/// (asm-generic), so they are picked per process architecture; getting them wrong would
/// silently follow symlinks.
/// </summary>
internal static class Posix
{
    public const int O_RDONLY = 0;
    public const int O_WRONLY = 1;
    public const int O_RDWR = 2;
    public const int O_CREAT = 0x40;
    public const int O_EXCL = 0x80;
    public const int O_TRUNC = 0x200;
    public const int O_CLOEXEC = 0x80000;

    public static readonly int O_DIRECTORY;
    public static readonly int O_NOFOLLOW;

    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const int AT_REMOVEDIR = 0x200;
    public const int AT_EMPTY_PATH = 0x1000;
    public const uint RENAME_NOREPLACE = 1;
    public const int SEEK_END = 2;
    public const int SEEK_DATA = 3;
    public const int SEEK_HOLE = 4;
    /// <summary>_IOW(0x94, 9, int): share the source's extents (btrfs, XFS with reflink, bcachefs).</summary>
    public const uint FICLONE = 0x40049409;

    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ENXIO = 6;
    public const int EBADF = 9;
    public const int EACCES = 13;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int EXDEV = 18;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int EINVAL = 22;
    public const int ENOSPC = 28;
    public const int ENOSYS = 38;
    public const int ENAMETOOLONG = 36;
    public const int ENOTEMPTY = 39;
    public const int ELOOP = 40;
    public const int EOPNOTSUPP = 95;
    public const int ENOTTY = 25;
    public const int EFBIG = 27;
    public const int EDQUOT = 122;

    static Posix()
    {
        if (!OperatingSystem.IsLinux())
            throw new PlatformNotSupportedException("Berth storage needs Linux *at() syscalls.");
        (O_DIRECTORY, O_NOFOLLOW) = RuntimeInformation.ProcessArchitecture switch
        {
            Architecture.X64 => (0x10000, 0x20000),
            Architecture.Arm64 => (0x4000, 0x8000),
            var other => throw new PlatformNotSupportedException($"No open(2) flag table for {other}."),
        };
    }

    /// <summary>Flags for opening a directory we will walk beneath, never through a symlink.</summary>
    public static int DirFlags => O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC;
}
