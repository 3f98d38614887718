using Berth.Core.Problems;
using Berth.Storage.FileSystem;
using Berth.Storage.Native;
using Berth.Storage.Paths;

namespace Berth.Storage.Backend;

/// <summary>
/// <see cref="IStorageBackend"/> over local directories. Every operation opens the folder root
/// by fd and walks beneath it with <see cref="FolderWalker"/>; the blocking syscalls run on the
/// thread pool so callers' request threads are not held.
/// </summary>
public sealed class LocalStorageBackend(StorageVolumes volumes, StorageOwner owner) : IStorageBackend
{
    public IReadOnlyList<StorageHostInfo> ListHosts() =>
        volumes.All.Select(v =>
        {
            // DriveInfo on Linux runs statvfs on the path it is given, so a volume that is a
            // plain directory reports the file system it lives on.
            var drive = new DriveInfo(v.Value);
            return new StorageHostInfo(v.Key, v.Value, drive.TotalSize, drive.AvailableFreeSpace);
        }).ToList();

    public Task CreateFolderAsync(string host, Guid folderId, CancellationToken ct) => Task.Run(() =>
    {
        using var volume = volumes.OpenVolume(host);
        var name = StorageVolumes.FolderDirName(folderId);
        if (!volume.TryMkdir(name))
            throw Problem.Conflict("already-exists", $"Folder {folderId} already has data on host '{host}'.", "folderId").ToException();
        owner.Apply(volume, name);
    }, ct);

    public Task PurgeFolderAsync(string host, Guid folderId, CancellationToken ct) => Task.Run(() =>
    {
        using var volume = volumes.OpenVolume(host);
        TreeOperations.Remove(volume, StorageVolumes.FolderDirName(folderId), ct);
    }, ct);

    public Task<FolderUsage> GetUsageAsync(string host, Guid folderId, CancellationToken ct) => Task.Run(() =>
    {
        using var root = volumes.OpenFolder(host, folderId);
        var usage = TreeOperations.Measure(root, ct);
        return new FolderUsage(usage.AllocatedBytes, usage.Files, usage.Directories, usage.ApparentBytes);
    }, ct);

    // The token is observed by the copy loop rather than by Task.Run, so a cancellation always
    // goes through the clean-up path once the destination exists.
    public Task CloneFolderAsync(string srcHost, Guid srcId, string dstHost, Guid dstId, long? quotaBytes, CancellationToken ct) => Task.Run(() =>
    {
        using var source = volumes.OpenFolder(srcHost, srcId);
        CheckCloneFits(source, dstHost, quotaBytes, ct);
        using var dstVolume = volumes.OpenVolume(dstHost);
        var name = StorageVolumes.FolderDirName(dstId);
        if (!dstVolume.TryMkdir(name))
            throw Problem.Conflict("already-exists", $"Folder {dstId} already has data on host '{dstHost}'.", "dstId").ToException();
        try
        {
            owner.Apply(dstVolume, name);
            using var target = dstVolume.OpenDir(name);
            TreeOperations.CopyContents(source, target, owner.Apply, ct);
        }
        catch
        {
            // Never leave a half-copied folder behind: the manager treats the clone as not existing.
            TreeOperations.Remove(dstVolume, name, CancellationToken.None);
            throw;
        }
    }, CancellationToken.None);

    /// <summary>
    /// Refuses, before anything is created, a clone whose data (allocated bytes: the copy keeps holes
    /// and hard links, so that is what it will take) exceeds its quota or the destination's free space.
    /// </summary>
    private void CheckCloneFits(SafeDir source, string dstHost, long? quotaBytes, CancellationToken ct)
    {
        var needed = TreeOperations.Measure(source, ct).AllocatedBytes;
        if (quotaBytes is { } quota && needed > quota)
            throw Problem.TooLarge("quota-exceeded",
                $"The source folder holds {needed} bytes on disk; the clone's quota is {quota} bytes.", "folder").ToException();
        var free = new DriveInfo(volumes.VolumeDir(dstHost)).AvailableFreeSpace;
        if (needed > free)
            throw new Problem(507, "insufficient-storage",
                $"The clone needs {needed} bytes; storage host '{dstHost}' has {free} bytes free.", "host").ToException();
    }

    public Task<IReadOnlyList<FileEntry>> ListAsync(string host, Guid folderId, string? path, CancellationToken ct) => Task.Run(() =>
    {
        var p = FolderPath.Parse(path);
        using var root = volumes.OpenFolder(host, folderId);
        using var dir = FolderWalker.OpenDirectory(root, p, "path");
        var entries = new List<FileEntry>();
        foreach (var name in dir.Names())
        {
            ct.ThrowIfCancellationRequested();
            var entry = Describe(dir, name, p.Append(name));
            if (entry is not null) entries.Add(entry);
        }
        return (IReadOnlyList<FileEntry>)entries;
    }, ct);

    public Task<FileEntry> StatAsync(string host, Guid folderId, string? path, CancellationToken ct) => Task.Run(() =>
    {
        var p = FolderPath.Parse(path);
        using var root = volumes.OpenFolder(host, folderId);
        if (p.IsRoot) return ToEntry(p, root.StatSelf(), null);
        using var parent = FolderWalker.OpenParent(root, p, "path");
        return Describe(parent, p.Name, p) ?? throw StorageErrors.From(Posix.ENOENT, p, "path");
    }, ct);

    public Task MkdirAsync(string host, Guid folderId, string path, bool parents, CancellationToken ct) => Task.Run(() =>
    {
        var p = FolderPath.Parse(path);
        using var root = volumes.OpenFolder(host, folderId);
        if (p.IsRoot)
        {
            if (parents) return;
            throw Problem.Conflict("already-exists", "The folder root already exists.", "path").ToException();
        }
        if (parents)
        {
            // mkdir -p: an existing directory at the end is fine, a file or link is not.
            using var _ = FolderWalker.OpenOrCreate(root, p, p.Components.Count, "path", owner.Apply);
            return;
        }
        using var parent = FolderWalker.OpenParent(root, p, "path");
        try
        {
            parent.Mkdir(p.Name);
        }
        catch (PosixException e)
        {
            throw StorageErrors.From(e, p, "path");
        }
        owner.Apply(parent, p.Name);
    }, ct);

    public Task MoveAsync(string host, Guid folderId, string source, string destination, CancellationToken ct) => Task.Run(() =>
    {
        var src = FolderPath.Parse(source, "source");
        var dst = FolderPath.Parse(destination, "destination");
        if (src.IsRoot) throw StorageErrors.RootNotAllowed("source", "moved").ToException();
        if (dst.IsRoot) throw StorageErrors.RootNotAllowed("destination", "replaced").ToException();
        if (dst.IsSameOrUnder(src))
            throw Problem.Invalid("destination", "move-into-itself", $"'{src}' cannot be moved to '{dst}', which is itself or inside it.").ToException();
        using var root = volumes.OpenFolder(host, folderId);
        using var srcParent = FolderWalker.OpenParent(root, src, "source");
        using var dstParent = FolderWalker.OpenParent(root, dst, "destination");
        if (srcParent.Stat(src.Name) is null) throw StorageErrors.From(Posix.ENOENT, src, "source");
        try
        {
            srcParent.RenameNoReplace(src.Name, dstParent, dst.Name);
        }
        catch (PosixException e) when (e.Errno is Posix.EEXIST or Posix.ENOTEMPTY)
        {
            throw Problem.Conflict("already-exists", $"'{dst}' already exists; moves never overwrite.", "destination").ToException();
        }
        catch (PosixException e)
        {
            throw StorageErrors.From(e, e.Errno == Posix.ENOENT ? src : dst, e.Errno == Posix.ENOENT ? "source" : "destination");
        }
    }, ct);

    public Task DeleteAsync(string host, Guid folderId, IReadOnlyList<string> paths, bool recursive, CancellationToken ct) => Task.Run(() =>
    {
        // Check every path (lexically, then on disk) before deleting any, so one bad entry does
        // not leave a half-done batch behind.
        var parsed = paths.Select(p => FolderPath.Parse(p, "paths")).ToList();
        if (parsed.Any(p => p.IsRoot)) throw StorageErrors.RootNotAllowed("paths", "deleted").ToException();
        using var root = volumes.OpenFolder(host, folderId);
        var targets = new List<(FolderPath Path, SafeDir Parent, StatInfo Stat)>();
        try
        {
            foreach (var p in parsed)
            {
                var parent = FolderWalker.OpenParent(root, p, "paths");
                var st = parent.Stat(p.Name);
                if (st is null)
                {
                    parent.Dispose();
                    throw StorageErrors.From(Posix.ENOENT, p, "paths");
                }
                targets.Add((p, parent, st.Value));
                if (st.Value.Type == NodeType.Directory && !recursive && parent.OpenDir(p.Name) is var dir)
                {
                    using (dir)
                    {
                        if (dir.Names().Count > 0)
                            throw Problem.Conflict("directory-not-empty", $"'{p}' is a directory that is not empty; delete it recursively.", "paths").ToException();
                    }
                }
            }
            foreach (var (p, parent, st) in targets)
            {
                ct.ThrowIfCancellationRequested();
                try
                {
                    if (st.Type != NodeType.Directory) parent.Unlink(p.Name, directory: false);
                    else if (recursive) TreeOperations.Remove(parent, p.Name, ct);
                    else parent.Unlink(p.Name, directory: true);
                }
                catch (PosixException e) when (e.Errno != Posix.ENOENT || parsed.Count(x => x.IsSameOrUnder(p) || p.IsSameOrUnder(x)) == 1)
                {
                    throw StorageErrors.From(e, p, "paths");
                }
                catch (PosixException)
                {
                    // Already removed with an overlapping entry of the same batch ("a" and "a/b").
                }
            }
        }
        finally
        {
            foreach (var t in targets) t.Parent.Dispose();
        }
    }, ct);

    private static FileEntry? Describe(SafeDir dir, string name, FolderPath path)
    {
        var st = dir.Stat(name);
        if (st is null) return null; // removed while we looked
        string? link = null;
        if (st.Value.Type == NodeType.Symlink)
        {
            try { link = dir.ReadLink(name); }
            catch (PosixException) { link = null; }
        }
        return ToEntry(path, st.Value, link);
    }

    private static FileEntry ToEntry(FolderPath path, StatInfo st, string? link) => new(
        path.Name,
        path.ToString(),
        st.Type switch
        {
            NodeType.File => FileEntryKind.File,
            NodeType.Directory => FileEntryKind.Directory,
            NodeType.Symlink => FileEntryKind.Symlink,
            _ => FileEntryKind.Other,
        },
        st.Size,
        st.Modified,
        st.Mode,
        link);
}
