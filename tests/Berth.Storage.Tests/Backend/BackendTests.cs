using Berth.Storage.Backend;
using Berth.Storage.Tests.Support;
using static Berth.Storage.Tests.Support.StorageEnvironment;

namespace Berth.Storage.Tests.Backend;

public class BackendTests : IAsyncLifetime
{
    private StorageEnvironment _env = null!;

    public async Task InitializeAsync() => _env = await StartAsync();
    public async Task DisposeAsync() => await _env.DisposeAsync();

    private IStorageBackend Backend => _env.Backend;
    private Guid Id => _env.FolderId;

    [Fact]
    public void Lists_hosts_with_space()
    {
        var hosts = Backend.ListHosts();
        Assert.Equal(["local", "other"], hosts.Select(h => h.Name).Order());
        Assert.All(hosts, h => Assert.True(h.TotalBytes > 0 && h.FreeBytes >= 0));
    }

    [Fact]
    public async Task Unknown_host_is_not_found()
    {
        var e = await ThrowsProblem("storage-host-not-found", () => Backend.ListAsync("nope", Id, null, default));
        Assert.Equal(404, e.Problem.Status);
        Assert.Equal("host", e.Problem.Field);
    }

    [Fact]
    public async Task Missing_folder_is_not_found() =>
        await ThrowsProblem("folder-not-found", () => Backend.ListAsync("local", Guid.NewGuid(), null, default));

    [Fact]
    public async Task Creating_an_existing_folder_conflicts() =>
        await ThrowsProblem("already-exists", () => Backend.CreateFolderAsync("local", Id, default));

    [Fact]
    public async Task Lists_entries_showing_links_as_links()
    {
        var entries = await Backend.ListAsync("local", Id, "", default);
        Assert.Equal(["dir", "link-abs", "link-out", "link-root", "link-secret"], entries.Select(e => e.Name));
        var root = entries.Single(e => e.Name == "link-root");
        Assert.Equal(FileEntryKind.Symlink, root.Kind);
        Assert.Equal("/", root.LinkTarget);
        var dir = await Backend.ListAsync("local", Id, "dir", default);
        var file = dir.Single(e => e.Name == "file.txt");
        Assert.Equal(("dir/file.txt", FileEntryKind.File, 5L), (file.Path, file.Kind, file.Size));
        Assert.Equal(FileEntryKind.Directory, dir.Single(e => e.Name == "sub").Kind);
    }

    [Fact]
    public async Task Stats_files_dirs_and_the_root()
    {
        Assert.Equal(FileEntryKind.Directory, (await Backend.StatAsync("local", Id, null, default)).Kind);
        var file = await Backend.StatAsync("local", Id, "dir/file.txt", default);
        Assert.Equal(5, file.Size);
        Assert.Equal("file.txt", file.Name);
        var link = await Backend.StatAsync("local", Id, "link-secret", default);
        Assert.Equal(FileEntryKind.Symlink, link.Kind);
        await ThrowsProblem("path-not-found", () => Backend.StatAsync("local", Id, "nope", default));
        await ThrowsProblem("not-a-directory", () => Backend.ListAsync("local", Id, "dir/file.txt", default));
    }

    [Fact]
    public async Task Mkdir_with_and_without_parents()
    {
        await ThrowsProblem("path-not-found", () => Backend.MkdirAsync("local", Id, "x/y/z", false, default));
        await Backend.MkdirAsync("local", Id, "x/y/z", true, default);
        Assert.True(Directory.Exists(Path.Combine(_env.FolderDir, "x/y/z")));
        await Backend.MkdirAsync("local", Id, "x/y/z", true, default); // -p tolerates existing
        await ThrowsProblem("already-exists", () => Backend.MkdirAsync("local", Id, "x/y/z", false, default));
        await Backend.MkdirAsync("local", Id, "x/w", false, default);
        Assert.True(Directory.Exists(Path.Combine(_env.FolderDir, "x/w")));
        await ThrowsProblem("not-a-directory", () => Backend.MkdirAsync("local", Id, "dir/file.txt/q", true, default));
    }

    [Fact]
    public async Task Move_renames_and_never_overwrites()
    {
        await Backend.MoveAsync("local", Id, "dir/file.txt", "moved.txt", default);
        Assert.Equal("hello", File.ReadAllText(Path.Combine(_env.FolderDir, "moved.txt")));
        Assert.False(File.Exists(Path.Combine(_env.FolderDir, "dir/file.txt")));

        File.WriteAllText(Path.Combine(_env.FolderDir, "other.txt"), "keep");
        var e = await ThrowsProblem("already-exists", () => Backend.MoveAsync("local", Id, "moved.txt", "other.txt", default));
        Assert.Equal(409, e.Problem.Status);
        Assert.Equal("keep", File.ReadAllText(Path.Combine(_env.FolderDir, "other.txt")));
        await ThrowsProblem("already-exists", () => Backend.MoveAsync("local", Id, "moved.txt", "dir", default));
        await ThrowsProblem("path-not-found", () => Backend.MoveAsync("local", Id, "nope", "x", default));
        await ThrowsProblem("move-into-itself", () => Backend.MoveAsync("local", Id, "dir", "dir/sub/dir", default));
        await ThrowsProblem("path-is-root", () => Backend.MoveAsync("local", Id, "", "x", default));

        await Backend.MoveAsync("local", Id, "dir", "renamed", default);
        Assert.True(File.Exists(Path.Combine(_env.FolderDir, "renamed/sub/deep.txt")));
    }

    [Fact]
    public async Task Delete_needs_recursive_for_non_empty_directories()
    {
        var e = await ThrowsProblem("directory-not-empty", () => Backend.DeleteAsync("local", Id, ["dir"], false, default));
        Assert.Equal(409, e.Problem.Status);
        Assert.True(Directory.Exists(Path.Combine(_env.FolderDir, "dir")));

        await Backend.MkdirAsync("local", Id, "empty", false, default);
        await Backend.DeleteAsync("local", Id, ["empty", "dir/file.txt"], false, default);
        Assert.False(Directory.Exists(Path.Combine(_env.FolderDir, "empty")));
        Assert.False(File.Exists(Path.Combine(_env.FolderDir, "dir/file.txt")));

        await Backend.DeleteAsync("local", Id, ["dir"], true, default);
        Assert.False(Directory.Exists(Path.Combine(_env.FolderDir, "dir")));
        _env.AssertSecretIntact(); // dir/link-mid pointed at the victim folder

        await ThrowsProblem("path-is-root", () => Backend.DeleteAsync("local", Id, [""], true, default));
        await ThrowsProblem("path-is-root", () => Backend.DeleteAsync("local", Id, ["."], true, default));
        await ThrowsProblem("path-not-found", () => Backend.DeleteAsync("local", Id, ["gone"], true, default));
        Assert.True(Directory.Exists(_env.FolderDir));
    }

    [Fact]
    public async Task Usage_counts_files_dirs_and_bytes_without_following_links()
    {
        var usage = await Backend.GetUsageAsync("local", Id, default);
        // dir, dir/sub; file.txt (5) + deep.txt (4); five links count as files, their targets never;
        // bytes on disk are what du says of the contents (the root directory's own block aside).
        Assert.Equal(new FolderUsage(DiskUsage.OfContents(_env.FolderDir), 7, 2, 9), usage);
    }

    [Fact]
    public async Task Clone_copies_the_tree_and_links_as_links()
    {
        var clone = Guid.NewGuid();
        await Backend.CloneFolderAsync("local", Id, "other", clone, null, default);
        var dst = Path.Combine(_env.OtherVolume, clone.ToString("N"));
        Assert.Equal("deep", File.ReadAllText(Path.Combine(dst, "dir/sub/deep.txt")));
        Assert.Equal("/", new FileInfo(Path.Combine(dst, "link-root")).LinkTarget);
        Assert.Equal(_env.SecretFile, new FileInfo(Path.Combine(dst, "link-secret")).LinkTarget);
        Assert.Equal(await Backend.GetUsageAsync("local", Id, default), await Backend.GetUsageAsync("other", clone, default));
        await ThrowsProblem("already-exists", () => Backend.CloneFolderAsync("local", Id, "other", clone, null, default));
        _env.AssertSecretIntact();
    }

    [Fact]
    public async Task Clone_failure_leaves_no_partial_destination()
    {
        // A cancelled token fails the copy after the destination directory was created
        // (tests run as root, so unreadable files cannot be used to make it fail).
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        var clone = Guid.NewGuid();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Backend.CloneFolderAsync("local", Id, "other", clone, null, cts.Token));
        Assert.False(Directory.Exists(Path.Combine(_env.OtherVolume, clone.ToString("N"))));
    }

    [Fact]
    public async Task Purge_removes_everything_and_is_idempotent()
    {
        await Backend.PurgeFolderAsync("local", Id, default);
        Assert.False(Directory.Exists(_env.FolderDir));
        await Backend.PurgeFolderAsync("local", Id, default);
        _env.AssertSecretIntact();
        Assert.True(Directory.Exists("/etc"));
    }
}
