using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Berth.Storage.Native;

/// <summary>
/// The handful of *at() syscalls the storage needs. .NET's own file APIs resolve whole paths
/// and follow symlinks, which is exactly what a user-controlled folder must not allow.
/// </summary>
internal static unsafe partial class LibC
{
    private const string Lib = "libc";

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int close(int fd);

    // These return a plain int: letting the marshaller build a SafeHandle from a 32-bit -1
    // would widen it to 0xFFFFFFFF, which IsInvalid does not recognise.
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int open(string path, int flags, int mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int openat(FdHandle dirfd, string path, int flags, int mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int mkdirat(FdHandle dirfd, string path, int mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int unlinkat(FdHandle dirfd, string path, int flags);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int renameat(FdHandle olddirfd, string oldpath, FdHandle newdirfd, string newpath);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int renameat2(FdHandle olddirfd, string oldpath, FdHandle newdirfd, string newpath, uint flags);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int fchownat(FdHandle dirfd, string path, int owner, int group, int flags);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int fchown(SafeFileHandle fd, int owner, int group);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int fchmod(SafeFileHandle fd, uint mode);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int statx(FdHandle dirfd, string path, int flags, uint mask, byte* buffer);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint readlinkat(FdHandle dirfd, string path, byte* buffer, nint size);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int symlinkat(string target, FdHandle newdirfd, string linkpath);

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int linkat(FdHandle olddirfd, string oldpath, FdHandle newdirfd, string newpath, int flags);

    // off_t is 64-bit on every architecture .NET runs Linux on (x86-64, arm64).
    [LibraryImport(Lib, SetLastError = true)]
    internal static partial long lseek(SafeFileHandle fd, long offset, int whence);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial nint copy_file_range(SafeFileHandle fdIn, long* offIn, SafeFileHandle fdOut, long* offOut, nuint len, uint flags);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int ftruncate(SafeFileHandle fd, long length);

    [LibraryImport(Lib, SetLastError = true)]
    internal static partial int ioctl(SafeFileHandle fd, nuint request, nint arg);
}
