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
        Assert.False(response.Headers.Contains("Tus-Max-Size")); // no maximum configured
    }

    [Fact]
    public async Task Options_on_an_upload_url_need_no_token()
    {
        var location = await Tus.CreateOkAsync(Http, _env.Token("upload", "o.bin"), 10);
        using var response = await Http.SendAsync(new HttpRequestMessage(HttpMethod.Options, location));
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
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
        // Only the record of how it ended stays in staging; the bytes are in the folder.
        Assert.Equal([Path.GetFileName(location) + ".json"], Directory.EnumerateFileSystemEntries(Staging).Select(Path.GetFileName));
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
            // Wait until the server has written something (HEAD would say 423 while the PATCH holds the upload);
            // bounded, so a server that never writes fails here instead of hanging the run.
            var part = Path.Combine(Staging, Path.GetFileName(location) + ".part");
            await UntilAsync(() => Task.FromResult(File.Exists(part) && new FileInfo(part).Length > 0), "the server never stored the first bytes");
            cts.Cancel();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => patch);
        }

        Assert.False(File.Exists(InFolder("resumed.bin")));
        // The server may still be finishing the aborted request: it answers 423 while it holds the upload (bounded).
        await UntilAsync(async () =>
        {
            using var head = await Http.SendAsync(Tus.Request(HttpMethod.Head, location, token));
            if (head.StatusCode == (HttpStatusCode)423) return false;
            var offset = long.Parse(head.Headers.GetValues("Upload-Offset").Single());
            Assert.True(offset > 0);
            using var resume = await Tus.PatchAsync(Http, location, token, offset, new ByteArrayContent(data, (int)offset, data.Length - (int)offset));
            if (resume.StatusCode == (HttpStatusCode)423) return false;
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
        // Quotas count allocated bytes: file.txt and deep.txt hold 9 bytes but, like their directories, take whole blocks.
        var used = (await _env.Backend.GetUsageAsync("local", _env.FolderId, default)).Bytes;
        Assert.True(used >= 9, $"usage {used}");
        var quota = used + 100;
        using (var refused = await Tus.CreateAsync(Http, _env.Token("upload", "big.bin", quota: quota), 101))
            await Tus.AssertProblemAsync(refused, HttpStatusCode.RequestEntityTooLarge, "quota-exceeded");
        Assert.Empty(Directory.EnumerateFileSystemEntries(Staging));
        Assert.False(File.Exists(InFolder("big.bin")));

        await Tus.CreateOkAsync(Http, _env.Token("upload", "fits.bin", quota: quota), 100);
        // Unfinished uploads count against the quota too.
        using var second = await Tus.CreateAsync(Http, _env.Token("upload", "more.bin", quota: quota), 1);
        await Tus.AssertProblemAsync(second, HttpStatusCode.RequestEntityTooLarge, "quota-exceeded");
    }

    [Fact]
    public async Task A_sparse_file_costs_the_quota_only_what_it_allocated()
    {
        using (var sparse = File.Create(InFolder("sparse.img"))) sparse.SetLength(1L << 30);
        using var response = await Tus.CreateAsync(Http, _env.Token("upload", "a.bin", quota: 1L << 20), 1000);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
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
    public async Task Another_users_token_for_the_same_folder_and_path_cannot_touch_the_upload()
    {
        // Two users with write access to one shared folder: each upload belongs to the user whose ticket created it.
        Guid owner = Guid.NewGuid(), other = Guid.NewGuid();
        var location = await Tus.CreateOkAsync(Http, _env.Token("upload", "shared.bin", user: owner), 10);
        var intruder = _env.Token("upload", "shared.bin", user: other);
        using (var head = await Http.SendAsync(Tus.Request(HttpMethod.Head, location, intruder)))
            Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
        using (var patch = await Tus.PatchAsync(Http, location, intruder, 0, new ByteArrayContent(new byte[10])))
            Assert.Equal(HttpStatusCode.NotFound, patch.StatusCode);
        using (var delete = await Http.SendAsync(Tus.Request(HttpMethod.Delete, location, intruder)))
            Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.False(File.Exists(InFolder("shared.bin")));
        // The owner's upload is untouched and still resumes from where it was.
        Assert.Equal(0, await Tus.OffsetAsync(Http, location, _env.Token("upload", "shared.bin", user: owner)));
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
        var token = _env.Token("upload", "empty/file");
        var location = await Tus.CreateOkAsync(Http, token, 0);
        Assert.Equal(0, new FileInfo(InFolder("empty/file")).Length);
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(Staging), f => f.EndsWith(".part"));
        Assert.Equal(0, await Tus.OffsetAsync(Http, location, token));
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
        Assert.DoesNotContain(Directory.EnumerateFileSystemEntries(Staging), f => f.EndsWith(".part"));
        // tus 1.0: a terminated upload is 404 or 410 from then on; Berth says 410, it knows the upload ended.
        using (var head = await Http.SendAsync(Tus.Request(HttpMethod.Head, location, token)))
            await Tus.AssertProblemAsync(head, HttpStatusCode.Gone, "upload-terminated");
        using (var patch = await Tus.PatchAsync(Http, location, token, 0, new ByteArrayContent(new byte[10])))
            await Tus.AssertProblemAsync(patch, HttpStatusCode.Gone, "upload-terminated");
        using (var again = await Http.SendAsync(Tus.Request(HttpMethod.Delete, location, token)))
            await Tus.AssertProblemAsync(again, HttpStatusCode.Gone, "upload-terminated");
        Assert.False(File.Exists(InFolder("t.bin")));
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
    public async Task A_completed_upload_still_answers_head_with_its_length()
    {
        // The client whose last PATCH answer was lost asks HEAD: it must hear "done", not 404 "start over".
        var data = RandomBytes(1000);
        var token = _env.Token("upload", "done.bin");
        var location = await Tus.CreateOkAsync(Http, token, data.Length);
        using (var last = await Tus.PatchAsync(Http, location, token, 0, new ByteArrayContent(data)))
            Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);

        using (var head = await Http.SendAsync(Tus.Request(HttpMethod.Head, location, _env.Token("upload", "done.bin"))))
        {
            Assert.Equal(HttpStatusCode.OK, head.StatusCode);
            Assert.Equal("1000", head.Headers.GetValues("Upload-Offset").Single());
            Assert.Equal("1000", head.Headers.GetValues("Upload-Length").Single());
            Assert.Equal("1.0.0", head.Headers.GetValues("Tus-Resumable").Single());
        }
        // Repeating the empty final PATCH is answered the same way; resending bytes is a conflict, never a second copy.
        using (var empty = await Tus.PatchAsync(Http, location, token, 1000, new ByteArrayContent([])))
        {
            Assert.Equal(HttpStatusCode.NoContent, empty.StatusCode);
            Assert.Equal("1000", empty.Headers.GetValues("Upload-Offset").Single());
        }
        using (var again = await Tus.PatchAsync(Http, location, token, 0, new ByteArrayContent(data)))
            await Tus.AssertProblemAsync(again, HttpStatusCode.Conflict, "upload-offset-mismatch");

        // The record lives for Storage:FinishedUploadRetention (1 h by default), then is forgotten.
        _env.Clock.Now += TimeSpan.FromMinutes(59);
        Assert.Equal(0, _env.Cleanup.RunOnce());
        Assert.Equal(1000, await Tus.OffsetAsync(Http, location, _env.Token("upload", "done.bin")));
        _env.Clock.Now += TimeSpan.FromMinutes(2);
        Assert.Equal(1, _env.Cleanup.RunOnce());
        using (var gone = await Http.SendAsync(Tus.Request(HttpMethod.Head, location, _env.Token("upload", "done.bin"))))
            await Tus.AssertProblemAsync(gone, HttpStatusCode.NotFound, "upload-not-found");
        Assert.Empty(Directory.EnumerateFileSystemEntries(Staging));
        Assert.Equal(data, File.ReadAllBytes(InFolder("done.bin")));
    }

    [Fact]
    public async Task Terminating_a_completed_upload_keeps_its_file()
    {
        var token = _env.Token("upload", "kept.bin");
        var location = await Tus.CreateOkAsync(Http, token, 3);
        using (var last = await Tus.PatchAsync(Http, location, token, 0, new ByteArrayContent("abc"u8.ToArray())))
            Assert.Equal(HttpStatusCode.NoContent, last.StatusCode);
        using (var deleted = await Http.SendAsync(Tus.Request(HttpMethod.Delete, location, token)))
            Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal("abc", File.ReadAllText(InFolder("kept.bin")));
        using var head = await Http.SendAsync(Tus.Request(HttpMethod.Head, location, token));
        await Tus.AssertProblemAsync(head, HttpStatusCode.Gone, "upload-terminated");
    }

    [Fact]
    public async Task A_patch_while_another_holds_the_upload_is_locked()
    {
        var data = RandomBytes(100_000);
        var token = _env.Token("upload", "busy.bin");
        var location = await Tus.CreateOkAsync(Http, token, data.Length);
        using var cts = new CancellationTokenSource();
        var content = new BlockingContent(data[..1000]);
        var first = Tus.PatchAsync(Http, location, token, 0, content, cts.Token);
        await content.Sent;
        var part = Path.Combine(Staging, Path.GetFileName(location) + ".part");
        // HEAD says 200 until the first PATCH has taken the writer, then 423 (bounded wait, no fixed sleep).
        var locked = false;
        for (var i = 0; i < 500 && !locked; i++)
        {
            using var head = await Http.SendAsync(Tus.Request(HttpMethod.Head, location, token));
            locked = head.StatusCode == (HttpStatusCode)423;
            if (!locked) await Task.Delay(20);
        }
        Assert.True(locked, "the first PATCH never took the upload");
        using (var second = await Tus.PatchAsync(Http, location, token, 0, new ByteArrayContent(data)))
        {
            await Tus.AssertProblemAsync(second, (HttpStatusCode)423, "upload-locked");
            Assert.Equal("1.0.0", second.Headers.GetValues("Tus-Resumable").Single());
        }
        using (var delete = await Http.SendAsync(Tus.Request(HttpMethod.Delete, location, token)))
            await Tus.AssertProblemAsync(delete, (HttpStatusCode)423, "upload-locked");
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.True(File.Exists(part));
    }

    [Fact]
    public async Task Every_tus_answer_carries_tus_resumable()
    {
        var token = _env.Token("upload", "h.bin");
        var location = await Tus.CreateOkAsync(Http, token, 10);
        var wrongType = Tus.Request(HttpMethod.Patch, location, token);
        wrongType.Headers.Add("Upload-Offset", "0");
        wrongType.Content = new ByteArrayContent(new byte[10]);
        wrongType.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/octet-stream");
        var noVersion = new HttpRequestMessage(HttpMethod.Head, location);
        noVersion.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        var cases = new (HttpRequestMessage Request, HttpStatusCode Status, string Rule)[]
        {
            (wrongType, HttpStatusCode.UnsupportedMediaType, "content-type-invalid"),
            (noVersion, HttpStatusCode.PreconditionFailed, "tus-version-unsupported"),
            (Tus.Request(HttpMethod.Head, "/storage/v1/uploads/0123456789abcdef0123456789abcdef", token), HttpStatusCode.NotFound, "upload-not-found"),
            (Tus.Request(HttpMethod.Head, location, "forged"), HttpStatusCode.Unauthorized, "token-invalid"),
        };
        foreach (var (request, status, rule) in cases)
        {
            using var response = await Http.SendAsync(request);
            await Tus.AssertProblemAsync(response, status, rule);
            Assert.Equal("1.0.0", response.Headers.GetValues("Tus-Resumable").Single());
        }
        using var mismatch = await Tus.PatchAsync(Http, location, token, 3, new ByteArrayContent(new byte[3]));
        await Tus.AssertProblemAsync(mismatch, HttpStatusCode.Conflict, "upload-offset-mismatch");
        Assert.Equal("1.0.0", mismatch.Headers.GetValues("Tus-Resumable").Single());
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

    [Fact]
    public async Task Options_advertise_the_maximum_size()
    {
        using var response = await _env.Http.SendAsync(new HttpRequestMessage(HttpMethod.Options, "/storage/v1/uploads"));
        Assert.Equal("100", response.Headers.GetValues("Tus-Max-Size").Single());
    }
}
