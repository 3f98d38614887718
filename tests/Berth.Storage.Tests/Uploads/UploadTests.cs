using System.Net;
using System.Security.Cryptography;
using Berth.Storage.Tests.Support;

namespace Berth.Storage.Tests.Uploads;

public class UploadTests : IAsyncLifetime
{
    private StorageEnvironment _env = null!;

    public async Task InitializeAsync() => _env = await StorageEnvironment.StartAsync();
    public async Task DisposeAsync() => await _env.DisposeAsync();

    private HttpClient Http => _env.Http;
    private string Staging => Path.Combine(_env.Volume, ".berth-staging");
    private string InFolder(string path) => Path.Combine(_env.FolderDir, path);

    private static byte[] RandomBytes(int n)
    {
        var data = new byte[n];
        new Random(n).NextBytes(data);
        return data;
    }

    /// <summary>How long a condition may take to come true before the test fails instead of hanging.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="failure"/> after <see cref="Bound"/>.</summary>
    private static async Task UntilAsync(Func<Task<bool>> condition, string failure)
    {
        using var deadline = new CancellationTokenSource(Bound);
        while (!await condition())
        {
            try { await Task.Delay(20, deadline.Token); }
            catch (OperationCanceledException) { Assert.Fail($"{failure} (waited {Bound.TotalSeconds:0} s)"); }
        }
    }

    [Fact]
    public async Task Options_advertise_tus()
    {
        using var response = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/storage/v1/uploads"));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("1.0.0", response.Headers.GetValues("Tus-Resumable").Single());
        Assert.Equal("1.0.0", response.Headers.GetValues("Tus-Version").Single());
        Assert.Equal("creation,termination", response.Headers.GetValues("Tus-Extension").Single());
    }

    [Fact]
    public async Task Upload_lands_atomically_on_the_last_byte()
    {
        var data = RandomBytes(3 * 1024 * 1024 + 5);
        var token = _env.Token("upload", "new/deep/data.bin");
        var location = await Tus.CreateOkAsync(Http, token, data.Length);
        Assert.Matches("^/storage/v1/uploads/[0-9a-f]{32}$", location);

        using (var first = await Tus.PatchAsync(Http, location, token, 0, new ByteArrayContent(data, 0, 2_000_000)))
        {
            Assert.Equal(HttpStatusCode.NoContent, first.StatusCode);
            Assert.Equal("2000000", first.Headers.GetValues("Upload-Offset").Single());
        }
        Assert.False(Path.Exists(InFolder("new"))); // parents appear only on completion
        using (var head = await Http.SendAsync(Tus.Request(HttpMethod.Head, location, token)))
        {
            Assert.Equal("2000000", head.Headers.GetValues("Upload-Offset").Single());
            Assert.Equal(data.Length.ToString(), head.Headers.GetValues("Upload-Length").Single());
            Assert.Equal("no-store", head.Headers.CacheControl?.ToString());
        }

        using (var last = await Tus.PatchAsync(Http, location, token, 2_000_000, new ByteArrayContent(data, 2_000_000, data.Length - 2_000_000)))
        {
            Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);
            Assert.Equal(data.Length.ToString(), last.Headers.GetValues("Upload-Offset").Single());
        }
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(File.ReadAllBytes(InFolder("new/deep/data.bin"))));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Staging));
        using var gone = await Http.SendAsync(Tus.Request(HttpMethod.Head, location, token));
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task Interrupted_patch_keeps_received_bytes_and_resumes()
    {
        var data = RandomBytes(5 * 1024 * 1024 + 123);
        var token = _env.Token("upload", "resumed.bin");
        var location = await Tus.CreateOkAsync(Http, token, data.Length);

        using (var cts = new CancellationTokenSource())
        {
            var content = new BlockingContent(data[..(3 * 1024 * 1024)]);
            var patch = Tus.PatchAsync(Http, location, token, 0, content, cts.Token);
            await content.Sent.WaitAsync(Bound);
            // The server has written something once the offset moves; bounded, so a server that never writes fails here.
            await UntilAsync(async () => await Tus.OffsetAsync(Http, location, token) > 0, "the server never stored the first bytes");
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => patch);
        }

        Assert.False(File.Exists(InFolder("resumed.bin")));
        // The server may still be finishing the aborted request: retry while it holds the upload (409), within a bound.
        await UntilAsync(async () =>
        {
            var offset = await Tus.OffsetAsync(Http, location, token);
            Assert.True(offset > 0);
            using var resume = await Tus.PatchAsync(Http, location, token, offset, new ByteArrayContent(data, (int)offset, data.Length - (int)offset));
            if (resume.StatusCode == HttpStatusCode.Conflict) return false;
            Assert.Equal(HttpStatusCode.NoContent, resume.StatusCode);
            return true;
        }, "the aborted request never let go of the upload");
        Assert.Equal(SHA256.HashData(data), SHA256.HashData(File.ReadAllBytes(InFolder("resumed.bin"))));
    }

    [Fact]
    public async Task Wrong_offset_conflicts()
    {
        var token = _env.Token("upload", "x.bin");
        var location = await Tus.CreateOkAsync(Http, token, 10);
        using var response = await Tus.PatchAsync(Http, location, token, 5, new ByteArrayContent(new byte[5]));
        await Tus.AssertProblemAsync(response, HttpStatusCode.Conflict, "upload-offset-mismatch");
        Assert.Equal(0, await Tus.OffsetAsync(Http, location, token));
    }

    [Fact]
    public async Task Bytes_beyond_the_length_are_refused()
    {
        var token = _env.Token("upload", "x.bin");
        var location = await Tus.CreateOkAsync(Http, token, 10);
        using var response = await Tus.PatchAsync(Http, location, token, 0, new ByteArrayContent(new byte[11]));
        await Tus.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "upload-exceeds-length");
        Assert.False(File.Exists(InFolder("x.bin")));
    }

    [Fact]
    public async Task Quota_is_checked_up_front()
    {
        // The folder holds 9 bytes (file.txt + deep.txt).
        using (var refused = await Tus.CreateAsync(Http, _env.Token("upload", "big.bin", quota: 100), 92))
            await Tus.AssertProblemAsync(refused, HttpStatusCode.RequestEntityTooLarge, "quota-exceeded");
        Assert.Empty(Directory.EnumerateFileSystemEntries(Staging));
        Assert.False(File.Exists(InFolder("big.bin")));

        await Tus.CreateOkAsync(Http, _env.Token("upload", "fits.bin", quota: 100), 91);
        // Unfinished uploads count against the quota too.
        using var second = await Tus.CreateAsync(Http, _env.Token("upload", "more.bin", quota: 100), 1);
        await Tus.AssertProblemAsync(second, HttpStatusCode.RequestEntityTooLarge, "quota-exceeded");
    }

    [Fact]
    public async Task Tokens_for_another_folder_or_path_are_rejected()
    {
        var token = _env.Token("upload", "mine.bin");
        var location = await Tus.CreateOkAsync(Http, token, 10);
        foreach (var other in new[] { _env.Token("upload", "mine.bin", folder: _env.VictimId), _env.Token("upload", "other.bin") })
        {
            using var head = await Http.SendAsync(Tus.Request(HttpMethod.Head, location, other));
            await Tus.AssertProblemAsync(head, HttpStatusCode.Forbidden, "token-scope-mismatch");
            using var patch = await Tus.PatchAsync(Http, location, other, 0, new ByteArrayContent(new byte[10]));
            await Tus.AssertProblemAsync(patch, HttpStatusCode.Forbidden, "token-scope-mismatch");
        }
        using (var download = await Http.SendAsync(Tus.Request(HttpMethod.Head, location, _env.Token("download", "mine.bin"))))
            await Tus.AssertProblemAsync(download, HttpStatusCode.Forbidden, "token-operation-mismatch");
        // A fresh token for the same upload works: resumes match on the grant, not the token.
        Assert.Equal(0, await Tus.OffsetAsync(Http, location, _env.Token("upload", "./mine.bin")));
    }

    [Fact]
    public async Task Expired_missing_and_forged_tokens_are_rejected()
    {
        var token = _env.Token("upload", "a.bin", lifetime: TimeSpan.FromMinutes(5));
        var location = await Tus.CreateOkAsync(Http, token, 10);
        _env.Clock.Now += TimeSpan.FromMinutes(6);
        using (var expired = await Http.SendAsync(Tus.Request(HttpMethod.Head, location, token)))
        {
            await Tus.AssertProblemAsync(expired, HttpStatusCode.Unauthorized, "token-expired");
            Assert.Equal("Bearer", expired.Headers.WwwAuthenticate.Single().Scheme);
        }
        using (var forged = await Tus.CreateAsync(Http, token[..^4] + "AAAA", 1))
            await Tus.AssertProblemAsync(forged, HttpStatusCode.Unauthorized, "token-invalid");
        var bare = new HttpRequestMessage(HttpMethod.Post, "/storage/v1/uploads");
        bare.Headers.Add("Tus-Resumable", "1.0.0");
        using (var missing = await Http.SendAsync(bare))
            await Tus.AssertProblemAsync(missing, HttpStatusCode.Unauthorized, "token-missing");
    }

    [Fact]
    public async Task Requests_without_tus_version_are_refused()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/storage/v1/uploads");
        request.Headers.Authorization = new("Bearer", _env.Token("upload", "a.bin"));
        request.Headers.Add("Upload-Length", "1");
        using var response = await Http.SendAsync(request);
        await Tus.AssertProblemAsync(response, HttpStatusCode.PreconditionFailed, "tus-version-unsupported");
    }

    [Fact]
    public async Task Empty_uploads_complete_at_creation()
    {
        await Tus.CreateOkAsync(Http, _env.Token("upload", "empty/file"), 0);
        Assert.Equal(0, new FileInfo(InFolder("empty/file")).Length);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Staging));
    }

    [Fact]
    public async Task Completed_upload_replaces_an_existing_file()
    {
        var token = _env.Token("upload", "dir/file.txt");
        var location = await Tus.CreateOkAsync(Http, token, 3);
        Assert.Equal("hello", File.ReadAllText(InFolder("dir/file.txt")));
        using var response = await Tus.PatchAsync(Http, location, token, 0, new ByteArrayContent("bye"u8.ToArray()));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("bye", File.ReadAllText(InFolder("dir/file.txt")));
    }

    [Theory]
    [InlineData("dir", HttpStatusCode.Conflict, "is-a-directory")]
    [InlineData("dir/file.txt/x", HttpStatusCode.BadRequest, "not-a-directory")]
    [InlineData("", HttpStatusCode.BadRequest, "path-is-root")]
    public async Task Impossible_destinations_fail_at_creation(string path, HttpStatusCode status, string rule)
    {
        using var response = await Tus.CreateAsync(Http, _env.Token("upload", path), 3);
        await Tus.AssertProblemAsync(response, status, rule);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Staging));
    }

    [Fact]
    public async Task Delete_terminates_the_upload()
    {
        var token = _env.Token("upload", "t.bin");
        var location = await Tus.CreateOkAsync(Http, token, 10);
        using (var deleted = await Http.SendAsync(Tus.Request(HttpMethod.Delete, location, token)))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Staging));
        using var head = await Http.SendAsync(Tus.Request(HttpMethod.Head, location, token));
        await Tus.AssertProblemAsync(head, HttpStatusCode.NotFound, "upload-not-found");
    }

    [Fact]
    public async Task Cleanup_removes_only_abandoned_uploads()
    {
        var oldToken = _env.Token("upload", "old.bin", lifetime: TimeSpan.FromDays(7));
        var old = await Tus.CreateOkAsync(Http, oldToken, 10);
        _env.Clock.Now += TimeSpan.FromHours(23);
        var fresh = await Tus.CreateOkAsync(Http, _env.Token("upload", "fresh.bin"), 10);
        _env.Clock.Now += TimeSpan.FromHours(2);

        Assert.Equal(1, _env.Cleanup.RunOnce());
        using (var head = await Http.SendAsync(Tus.Request(HttpMethod.Head, old, oldToken)))
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        Assert.Equal(0, await Tus.OffsetAsync(Http, fresh, _env.Token("upload", "fresh.bin")));
    }

    [Fact]
    public async Task Unknown_upload_ids_are_not_found()
    {
        foreach (var id in new[] { "0123456789abcdef0123456789abcdef", "..%2F..%2Fetc" })
        {
            using var head = await Http.SendAsync(Tus.Request(HttpMethod.Head, "/storage/v1/uploads/" + id, _env.Token("upload", "a")));
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        }
    }
}

public class UploadLimitTests : IAsyncLifetime
{
    private StorageEnvironment _env = null!;

    public async Task InitializeAsync() => _env = await StorageEnvironment.StartAsync(maxUploadBytes: 100);
    public async Task DisposeAsync() => await _env.DisposeAsync();

    [Fact]
    public async Task Uploads_over_the_configured_maximum_are_refused()
    {
        using var response = await Tus.CreateAsync(_env.Http, _env.Token("upload", "a.bin"), 101);
        await Tus.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "upload-too-large");
        await Tus.CreateOkAsync(_env.Http, _env.Token("upload", "a.bin"), 100);
    }
}
