using Berth.Storage.FileSystem;
using Berth.Storage.Native;
using Berth.Storage.Options;
using Microsoft.Extensions.Options;
using Microsoft.Win32.SafeHandles;

namespace Berth.Storage.Backend;

/// <summary>
/// Applies the configured owner to what the storage creates, so the unprivileged user in
/// session containers can write it. A no-op when no owner is configured.
/// </summary>
public sealed class StorageOwner(IOptions<StorageOptions> options)
{
    private readonly int _uid = options.Value.OwnerUid ?? -1;
    private readonly int _gid = options.Value.OwnerGid ?? -1;

    public bool Enabled => _uid >= 0 || _gid >= 0;

    public void Apply(SafeDir parent, string name)
    {
        if (Enabled) parent.Chown(name, _uid, _gid);
    }

    public void Apply(SafeFileHandle file)
    {
        if (Enabled && LibC.fchown(file, _uid, _gid) != 0)
            throw new PosixException(System.Runtime.InteropServices.Marshal.GetLastPInvokeError(), "fchown", "file");
    }
}
