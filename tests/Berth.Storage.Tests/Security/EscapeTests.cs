using System.Formats.Tar;
using System.Net;
using System.Text;
using Berth.Storage.Backend;
using Berth.Storage.Tests.Support;
using static Berth.Storage.Tests.Support.StorageEnvironment;

namespace Berth.Storage.Tests.Security;

/// <summary>
/// Every operation, handed a path that leaves the folder lexically or through a planted
/// symlink, must fail with the expected rule and change nothing outside the folder.
/// </summary>
public class EscapeTests : IAsyncLifetime
{
    private const string Probe = "/tmp/berth-escape-probe";
    private StorageEnvironment _env = null!;
    private SortedDictionary<string, string> _before = null!;

    public async Task InitializeAsync()
    {
        _env = await StartAsync();
        _before = _env.SnapshotOutside();
    }

    public async Task DisposeAsync() => await _env.DisposeAsync();

    public static TheoryData<string, string> BadPaths => new()
    {
        { "../escape-probe", "path-escapes-folder" },
        { "a/../../escape-probe", "path-escapes-folder" },
        { "/etc/passwd", "path-absolute" },
        { "link-out/secret.txt", "symlink-not-followed" },
        { "link-abs/secret.txt", "symlink-not-followed" },
        { "link-root/tmp/berth-escape-probe", "symlink-not-followed" },
        { "dir/link-mid/secret.txt", "symlink-not-followed" }, // symlinked intermediate component
    };

    private IStorageBackend Backend => _env.Backend;
    private Guid Id => _env.FolderId;

    private void AssertNothingOutsideChanged()
    {
        _env.AssertSecretIntact();
        Assert.Equal(_before, _env.SnapshotOutside());
        Assert.False(Path.Exists(Probe));
        Assert.True(File.Exists("/etc/passwd"));
    }

    [Theory, MemberData(nameof(BadPaths))]
    public async Task List(string path, string rule)
    {
        await ThrowsProblem(rule, () => Backend.ListAsync("local", Id, path, default));
        AssertNothingOutsideChanged();
    }

    [Theory, MemberData(nameof(BadPaths))]
    public async Task Stat(string path, string rule)
    {
        await ThrowsProblem(rule, () => Backend.StatAsync("local", Id, path, default));
        AssertNothingOutsideChanged();
    }

    [Theory, MemberData(nameof(BadPaths))]
    public async Task Mkdir(string path, string rule)
    {
        await ThrowsProblem(rule, () => Backend.MkdirAsync("local", Id, path, false, default));
        await ThrowsProblem(rule, () => Backend.MkdirAsync("local", Id, path, true, default));
        await ThrowsProblem(rule, () => Backend.MkdirAsync("local", Id, path + "/more", true, default));
        AssertNothingOutsideChanged();
    }

    [Theory, MemberData(nameof(BadPaths))]
    public async Task Move_source(string path, string rule)
    {
        var e = await ThrowsProblem(rule, () => Backend.MoveAsync("local", Id, path, "moved", default));
        Assert.Equal("source", e.Problem.Field);
        Assert.False(Path.Exists(Path.Combine(_env.FolderDir, "moved")));
        AssertNothingOutsideChanged();
    }

    [Theory, MemberData(nameof(BadPaths))]
    public async Task Move_destination(string path, string rule)
    {
        var e = await ThrowsProblem(rule, () => Backend.MoveAsync("local", Id, "dir/file.txt", path, default));
        Assert.Equal("destination", e.Problem.Field);
        Assert.True(File.Exists(Path.Combine(_env.FolderDir, "dir/file.txt")));
        AssertNothingOutsideChanged();
    }

    [Theory, MemberData(nameof(BadPaths))]
    public async Task Delete(string path, string rule)
    {
        await ThrowsProblem(rule, () => Backend.DeleteAsync("local", Id, [path], true, default));
        await ThrowsProblem(rule, () => Backend.DeleteAsync("local", Id, ["dir/file.txt", path], false, default));
        Assert.True(File.Exists(Path.Combine(_env.FolderDir, "dir/file.txt"))); // batch validated before deleting
        AssertNothingOutsideChanged();
    }

    [Theory, MemberData(nameof(BadPaths))]
    public async Task Upload_create(string path, string rule)
    {
        using var response = await Tus.CreateAsync(_env.Http, _env.Token("upload", path), 5);
        await Tus.AssertProblemAsync(response, rule == "symlink-not-followed" ? HttpStatusCode.Forbidden : HttpStatusCode.BadRequest, rule);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(_env.Volume, ".berth-staging")));
        AssertNothingOutsideChanged();
    }

    [Theory, MemberData(nameof(BadPaths))]
    public async Task Download(string path, string rule)
    {
        using var response = await _env.Http.GetAsync("/storage/v1/download?token=" + _env.Token("download", path));
        await Tus.AssertProblemAsync(response, rule == "symlink-not-followed" ? HttpStatusCode.Forbidden : HttpStatusCode.BadRequest, rule);
        AssertNothingOutsideChanged();
    }

    [Theory]
    [InlineData("link-out")]
    [InlineData("link-secret")]
    [InlineData("link-root")]
    public async Task Download_of_a_link_is_refused(string path)
    {
        using var response = await _env.Http.GetAsync("/storage/v1/download?token=" + _env.Token("download", path));
        await Tus.AssertProblemAsync(response, HttpStatusCode.Forbidden, "symlink-not-followed");
    }

    [Theory]
    [InlineData("link-out")]
    [InlineData("link-root")]
    public async Task Listing_through_a_final_link_is_refused(string path)
    {
        await ThrowsProblem("symlink-not-followed", () => Backend.ListAsync("local", Id, path, default));
        await ThrowsProblem("symlink-not-followed", () => Backend.MkdirAsync("local", Id, path, true, default));
        await ThrowsProblem("already-exists", () => Backend.MkdirAsync("local", Id, path, false, default));
    }

    [Fact]
    public async Task Stat_of_a_link_describes_the_link()
    {
        var entry = await Backend.StatAsync("local", Id, "link-secret", default);
        Assert.Equal(FileEntryKind.Symlink, entry.Kind);
        Assert.Equal(_env.SecretFile, entry.LinkTarget);
    }

    [Fact]
    public async Task Deleting_links_removes_the_links_only()
    {
        await Backend.DeleteAsync("local", Id, ["link-out", "link-abs", "link-root", "link-secret"], false, default);
        await Backend.DeleteAsync("local", Id, ["dir"], true, default);
        Assert.Equal([], Directory.EnumerateFileSystemEntries(_env.FolderDir));
        AssertNothingOutsideChanged();
    }

    [Fact]
    public async Task Purging_a_folder_full_of_links_removes_the_links_only()
    {
        await Backend.PurgeFolderAsync("local", Id, default);
        AssertNothingOutsideChanged();
    }

    [Fact]
    public async Task Moving_a_link_moves_the_link()
    {
        await Backend.MoveAsync("local", Id, "link-secret", "dir/sub/moved-link", default);
        Assert.Equal(_env.SecretFile, new FileInfo(Path.Combine(_env.FolderDir, "dir/sub/moved-link")).LinkTarget);
        await Backend.MoveAsync("local", Id, "dir/file.txt", "link-out-sibling", default);
        AssertNothingOutsideChanged();
    }

    [Fact]
    public async Task Moving_onto_a_link_does_not_write_through_it()
    {
        await ThrowsProblem("already-exists", () => Backend.MoveAsync("local", Id, "dir/file.txt", "link-secret", default));
        AssertNothingOutsideChanged();
    }

    [Fact]
    public async Task Uploading_onto_a_link_replaces_the_link_not_its_target()
    {
        var token = _env.Token("upload", "link-secret");
        var location = await Tus.CreateOkAsync(_env.Http, token, 3);
        using var response = await Tus.PatchAsync(_env.Http, location, token, 0, new ByteArrayContent("new"u8.ToArray()));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var replaced = new FileInfo(Path.Combine(_env.FolderDir, "link-secret"));
        Assert.Null(replaced.LinkTarget);
        Assert.Equal("new", File.ReadAllText(replaced.FullName));
        AssertNothingOutsideChanged();
    }

    [Fact]
    public async Task Folder_tar_carries_links_as_links_and_never_their_targets()
    {
        using var response = await _env.Http.GetAsync("/storage/v1/download?token=" + _env.Token("download", ""));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var entries = new Dictionary<string, (TarEntryType Type, string? Link, string? Data)>();
        using var reader = new TarReader(await response.Content.ReadAsStreamAsync());
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            string? data = null;
            if (entry.DataStream is { } s) data = await new StreamReader(s, Encoding.UTF8).ReadToEndAsync();
            entries[entry.Name] = (entry.EntryType, entry.LinkName, data);
        }
        Assert.Equal((TarEntryType.SymbolicLink, "/", (string?)null), (entries["folder/link-root"].Type, entries["folder/link-root"].Link, entries["folder/link-root"].Data));
        Assert.Equal(TarEntryType.SymbolicLink, entries["folder/dir/link-mid"].Type);
        Assert.DoesNotContain(entries.Values, e => e.Data?.Contains(StorageEnvironment.SecretContent) == true);
        Assert.DoesNotContain(entries.Keys, k => k.Contains("secret.txt"));
        AssertNothingOutsideChanged();
    }

    [Fact]
    public async Task Clone_copies_links_as_links_and_never_their_targets()
    {
        var clone = Guid.NewGuid();
        await Backend.CloneFolderAsync("local", Id, "local", clone, null, default);
        var dst = Path.Combine(_env.Volume, clone.ToString("N"));
        var files = FilesNoFollow(dst).ToList();
        Assert.Equal(2, files.Count); // dir/file.txt, dir/sub/deep.txt
        foreach (var file in files) Assert.DoesNotContain(StorageEnvironment.SecretContent, File.ReadAllText(file));
        Assert.Equal("../" + _env.VictimId.ToString("N"), new FileInfo(Path.Combine(dst, "link-out")).LinkTarget);
        Directory.Delete(dst, recursive: true);
        AssertNothingOutsideChanged();
    }
}
