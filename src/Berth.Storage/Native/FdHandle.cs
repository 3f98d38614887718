using Microsoft.Win32.SafeHandles;

namespace Berth.Storage.Native;

/// <summary>
/// An owned POSIX file descriptor. Directory fds are kept open while we work beneath them so
/// that every later lookup is relative to the directory we already checked, not to a path that
/// could be swapped for a symlink in the meantime.
/// </summary>
public sealed class FdHandle : SafeHandleMinusOneIsInvalid
{
    public FdHandle(int fd) : base(ownsHandle: true) => SetHandle(fd);

    protected override bool ReleaseHandle() => LibC.close((int)handle) == 0;
}
