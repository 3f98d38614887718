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
}
