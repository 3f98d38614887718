namespace Berth.Storage.Backend;

/// <summary>
/// Folder and file operations the manager calls in-process. Paths are relative to the folder
/// root; none of these operations follows a symbolic link or touches anything outside the folder.
/// Failures are <see cref="Berth.Core.Problems.BerthProblemException"/>s.
/// </summary>
public interface IStorageBackend
{
    IReadOnlyList<StorageHostInfo> ListHosts();

    /// <summary>Creates the folder's empty directory; <c>already-exists</c> (409) if it is there.</summary>
    Task CreateFolderAsync(string host, Guid folderId, CancellationToken ct);

    /// <summary>Deletes the folder's data for good; succeeds when it is already gone.</summary>
    Task PurgeFolderAsync(string host, Guid folderId, CancellationToken ct);

    Task<FolderUsage> GetUsageAsync(string host, Guid folderId, CancellationToken ct);

    /// <summary>
    /// Creates the destination folder and copies the source tree into it. Symlinks are copied as
    /// symlinks (never followed); sockets, fifos and devices are skipped; holes in sparse files stay
    /// holes and hard links inside the folder stay links. Before anything is created, the source's
    /// allocated size is checked against <paramref name="quotaBytes"/> (413 <c>quota-exceeded</c>) and
    /// the destination's free space (507 <c>insufficient-storage</c>). On failure the partial
    /// destination is removed.
    /// </summary>
    Task CloneFolderAsync(string srcHost, Guid srcId, string dstHost, Guid dstId, long? quotaBytes, CancellationToken ct);

    Task<IReadOnlyList<FileEntry>> ListAsync(string host, Guid folderId, string? path, CancellationToken ct);

    Task<FileEntry> StatAsync(string host, Guid folderId, string? path, CancellationToken ct);

    Task MkdirAsync(string host, Guid folderId, string path, bool parents, CancellationToken ct);

    /// <summary>Renames <paramref name="source"/> to the full path <paramref name="destination"/>; never overwrites.</summary>
    Task MoveAsync(string host, Guid folderId, string source, string destination, CancellationToken ct);

    Task DeleteAsync(string host, Guid folderId, IReadOnlyList<string> paths, bool recursive, CancellationToken ct);
}
