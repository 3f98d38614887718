using Berth.Core.Problems;
using Berth.Storage.FileSystem;
using Berth.Storage.Native;
using Berth.Storage.Options;
using Microsoft.Extensions.Options;

namespace Berth.Storage.Backend;

/// <summary>
/// Maps host names to volume directories and folder ids to their directories:
/// <c>&lt;volume&gt;/&lt;folderId as 32 hex&gt;/</c>, with upload staging in
/// <c>&lt;volume&gt;/.berth-staging/</c> on the same file system so finishing is a rename.
/// </summary>
public sealed class StorageVolumes(IOptions<StorageOptions> options)
{
    public const string StagingDirName = ".berth-staging";

    private readonly Dictionary<string, string> _volumes = new(options.Value.Volumes, StringComparer.Ordinal);

    public IEnumerable<KeyValuePair<string, string>> All => _volumes;

    public string VolumeDir(string host) =>
        host is not null && _volumes.TryGetValue(host, out var dir)
            ? dir
            : throw Problem.NotFound("storage-host-not-found", $"There is no storage host '{host}'.", "host").ToException();

    public static string FolderDirName(Guid folderId) => folderId.ToString("N");

    public SafeDir OpenVolume(string host)
    {
        var dir = VolumeDir(host);
        try
        {
            return SafeDir.OpenAbsolute(dir);
        }
        catch (PosixException e)
        {
            throw new IOException($"Storage volume '{host}' at '{dir}' cannot be opened.", e);
        }
    }

    /// <summary>Opens a folder's root directory; <c>folder-not-found</c> (404) when it has none.</summary>
    public SafeDir OpenFolder(string host, Guid folderId)
    {
        using var volume = OpenVolume(host);
        try
        {
            return volume.OpenDir(FolderDirName(folderId));
        }
        catch (PosixException e) when (e.Errno is Posix.ENOENT or Posix.ENOTDIR or Posix.ELOOP)
        {
            throw Problem.NotFound("folder-not-found", $"Folder {folderId} has no data on host '{host}'.", "folderId").ToException();
        }
    }

    /// <summary>Opens (creating if needed) the host's upload staging directory.</summary>
    public SafeDir OpenStaging(string host)
    {
        using var volume = OpenVolume(host);
        volume.TryMkdir(StagingDirName, 0b111_000_000);
        return volume.OpenDir(StagingDirName);
    }
}
