using System.Buffers;
using System.Runtime.InteropServices;
using Berth.Storage.Native;
using Microsoft.Win32.SafeHandles;

namespace Berth.Storage.FileSystem;

/// <summary>
/// Copies one regular file's bytes without inflating it. A reflink (FICLONE) is tried first: on
/// btrfs/XFS it shares the extents and costs no space at all. Otherwise only the data extents
/// (SEEK_DATA/SEEK_HOLE) are copied, with copy_file_range where the kernel can, so holes stay
/// holes: a 10 TiB <c>truncate -s</c> file clones to another one using no blocks.
/// </summary>
public static unsafe class FileCopy
{
    public const int BufferSize = 1 << 20;
    // Bytes per copy_file_range call: large for speed, small enough to notice a cancellation.
    private const long ChunkBytes = 64L << 20;

    public static void Copy(SafeFileHandle input, SafeFileHandle output, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (TryReflink(input, output)) return;
        var length = RandomAccess.GetLength(input);
        var position = 0L;
        while (position < length)
        {
            ct.ThrowIfCancellationRequested();
            var data = LibC.lseek(input, position, Posix.SEEK_DATA);
            if (data < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Posix.ENXIO) break; // only a hole is left
                if (errno is not (Posix.EINVAL or Posix.EOPNOTSUPP)) throw new PosixException(errno, "lseek", "SEEK_DATA");
                data = position; // no hole support: everything is data
            }
            if (data >= length) break;
            var hole = LibC.lseek(input, data, Posix.SEEK_HOLE);
            if (hole < 0 || hole > length) hole = length;
            CopyRange(input, output, data, hole - data, ct);
            position = hole;
        }
        // Sets the exact length, which leaves a trailing hole as a hole.
        if (LibC.ftruncate(output, length) != 0) throw new PosixException(Marshal.GetLastPInvokeError(), "ftruncate", "copy");
    }

    private static bool TryReflink(SafeFileHandle input, SafeFileHandle output)
    {
        var added = false;
        try
        {
            input.DangerousAddRef(ref added);
            if (LibC.ioctl(output, Posix.FICLONE, input.DangerousGetHandle()) == 0) return true;
            // EOPNOTSUPP/ENOTTY/EINVAL: no reflinks here; EXDEV: another file system. All mean "copy instead".
            return false;
        }
        finally
        {
            if (added) input.DangerousRelease();
        }
    }

    /// <summary>Copies [offset, offset+count) to the same offset in <paramref name="output"/>.</summary>
    private static void CopyRange(SafeFileHandle input, SafeFileHandle output, long offset, long count, CancellationToken ct)
    {
        var end = offset + count;
        while (offset < end)
        {
            ct.ThrowIfCancellationRequested();
            long inOff = offset, outOff = offset;
            var n = LibC.copy_file_range(input, &inOff, output, &outOff, (nuint)Math.Min(ChunkBytes, end - offset), 0);
            if (n > 0)
            {
                offset += n;
                continue;
            }
            if (n == 0) return; // the source shrank while we copied; the final ftruncate settles the length
            var errno = Marshal.GetLastPInvokeError();
            if (errno is Posix.EXDEV or Posix.ENOSYS or Posix.EINVAL or Posix.EOPNOTSUPP or Posix.EBADF or Posix.EPERM)
            {
                CopyByReading(input, output, offset, end, ct);
                return;
            }
            throw new PosixException(errno, "copy_file_range", "copy");
        }
    }

    private static void CopyByReading(SafeFileHandle input, SafeFileHandle output, long offset, long end, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            while (offset < end)
            {
                ct.ThrowIfCancellationRequested();
                var n = RandomAccess.Read(input, buffer.AsSpan(0, (int)Math.Min(BufferSize, end - offset)), offset);
                if (n == 0) return;
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
