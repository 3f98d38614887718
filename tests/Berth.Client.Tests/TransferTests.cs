namespace Berth.Client.Tests;

public sealed class TransferTests : IAsyncLifetime, IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "berth-transfer-" + Guid.NewGuid().ToString("N"));
    private FakeBerthServer _server = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _server = await FakeBerthServer.StartAsync();
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private BerthClient Client() => new(_server.Endpoint, new ApiKeyPair(FakeBerthServer.AccessKey, FakeBerthServer.SecretKey));

    private string RandomFile(int length, out byte[] bytes)
    {
        bytes = new byte[length];
        new Random(length).NextBytes(bytes);
        var path = Path.Combine(_dir, "local.bin");
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private sealed class Recorder : IProgress<TransferProgress>
    {
        public readonly List<TransferProgress> Reports = [];
        public void Report(TransferProgress value) { lock (Reports) Reports.Add(value); }
    }

    [Fact]
    public async Task Upload_cut_off_by_the_server_continues_from_the_server_offset()
    {
        var local = RandomFile(5 * 1024 * 1024 + 123, out var bytes);
        const long cut = 1536 * 1024;
        _server.AbortNextPatchAfter = cut;

        using var client = Client();
        var progress = new Recorder();
        var result = await client.UploadFileAsync("data", local, "dir/local.bin", progress);

        var upload = Assert.Single(_server.Uploads.Values);
        Assert.Equal(bytes, upload.Data.ToArray());
        Assert.Equal(1, _server.Creates);
        Assert.Equal([0L, cut], _server.PatchOffsets.ToArray());
        Assert.Equal(bytes.Length, result.Bytes);
        Assert.Equal(bytes.Length, progress.Reports[^1].BytesTransferred);
        Assert.Equal(0, _server.BadSignatures);
    }

    [Fact]
    public async Task A_lost_final_answer_is_success_once_head_says_offset_equals_length()
    {
        var local = RandomFile(2 * 1024 * 1024 + 9, out var bytes);
        _server.LoseFinalAnswer = true;
        _server.LockedHeads = 2; // the server is still finishing the broken request: 423, then the answer

        using var client = Client();
        var result = await client.UploadFileAsync("data", local, "dir/local.bin");

        Assert.Equal(bytes, Assert.Single(_server.Uploads.Values).Data.ToArray());
        Assert.Equal(1, _server.Creates);
        Assert.Equal([0L], _server.PatchOffsets.ToArray()); // nothing was sent again
        Assert.Equal(bytes.Length, result.Bytes);
    }

    [Fact]
    public async Task Interrupted_upload_resumes_on_a_rerun_through_the_resume_store()
    {
        var local = RandomFile(4 * 1024 * 1024, out var bytes);
        var store = new FileUploadResumeStore(Path.Combine(_dir, "uploads.json"));
        _server.PatchChunkDelay = TimeSpan.FromMilliseconds(5);
        _server.SignalAfterBytes = 1024 * 1024;

        using (var client = Client())
        using (var cts = new CancellationTokenSource())
        {
            var upload = client.UploadFileAsync("data", local, "local.bin", null, store, cts.Token);
            await _server.Received.Task.WaitAsync(TimeSpan.FromSeconds(30));
            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload);
        }
        Assert.True(await _server.PatchDone.WaitAsync(TimeSpan.FromSeconds(30)));

        var partial = Assert.Single(_server.Uploads.Values);
        var serverOffset = partial.Offset;
        Assert.InRange(serverOffset, 1024 * 1024, bytes.Length - 1);
        Assert.Equal(bytes.AsSpan(0, (int)serverOffset).ToArray(), partial.Data.ToArray());

        _server.PatchChunkDelay = TimeSpan.Zero;
        using (var client = Client())
        {
            var result = await client.UploadFileAsync("data", local, "local.bin", null, store);
            Assert.Equal(serverOffset, result.ResumedFrom);
        }

        Assert.Equal(1, _server.Creates);
        Assert.Equal(serverOffset, _server.PatchOffsets.ToArray()[^1]);
        Assert.Equal(bytes, partial.Data.ToArray());
        Assert.False(File.ReadAllText(store.FilePath).Contains("storage/v1/uploads", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stored_upload_the_server_forgot_starts_over()
    {
        var local = RandomFile(300_000, out var bytes);
        var store = new FileUploadResumeStore(Path.Combine(_dir, "uploads.json"));
        var info = new FileInfo(local);
        store.Set(new UploadResumeKey(new Uri(_server.Endpoint, "/").AbsoluteUri, FakeBerthServer.FolderId.ToString(), "x.bin", info.Length, info.LastWriteTimeUtc),
            new Uri(_server.Endpoint, "/storage/v1/uploads/999").AbsoluteUri);

        using var client = Client();
        var result = await client.UploadFileAsync("data", local, "x.bin", null, store);

        Assert.Equal(0, result.ResumedFrom);
        Assert.Equal(bytes, Assert.Single(_server.Uploads.Values).Data.ToArray());
    }

    [Fact]
    public async Task Download_continues_a_part_file_with_a_range_request()
    {
        var bytes = new byte[3 * 1024 * 1024 + 7];
        new Random(3).NextBytes(bytes);
        _server.Files["big.bin"] = (bytes, "big.bin", "application/octet-stream");
        var target = Path.Combine(_dir, "big.bin");
        File.WriteAllBytes(target + ".part", bytes.AsSpan(0, 1_000_000).ToArray());

        using var client = Client();
        var result = await client.DownloadAsync("data", "big.bin", target);

        Assert.Equal(bytes, File.ReadAllBytes(target));
        Assert.False(File.Exists(target + ".part"));
        Assert.Equal(1_000_000, result.ResumedFrom);
        Assert.Equal("bytes=1000000-", Assert.Single(_server.RangeHeaders));
    }

    [Fact]
    public async Task Directory_download_is_named_after_content_disposition()
    {
        var bytes = new byte[10_000];
        _server.Files["models"] = (bytes, "models.tar", "application/x-tar");

        using var client = Client();
        var result = await client.DownloadToDirectoryAsync("data", "models", _dir);

        Assert.Equal(Path.Combine(_dir, "models.tar"), result.LocalPath);
        Assert.True(result.IsArchive);
        Assert.Equal("models.tar", result.SuggestedFileName);
        Assert.Equal(bytes, File.ReadAllBytes(result.LocalPath));
    }

    [Fact]
    public async Task Unreachable_server_gives_a_clear_message()
    {
        using var client = new BerthClient(new Uri("http://127.0.0.1:1"), new ApiKeyPair("a", "b"));
        var e = await Assert.ThrowsAsync<BerthApiException>(() => client.ListVFoldersAsync());
        Assert.True(e.IsNetworkError);
        Assert.StartsWith("cannot reach the Berth server at http://127.0.0.1:1", e.Message);
    }

    [Fact]
    public async Task Problem_bodies_become_exceptions_with_rule_and_detail()
    {
        using var client = new BerthClient(_server.Endpoint, new ApiKeyPair(FakeBerthServer.AccessKey, "wrong-secret"));
        var e = await Assert.ThrowsAsync<BerthApiException>(() => client.ListVFoldersAsync());
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, e.StatusCode);
        Assert.Equal("bad signature", e.Message);
        Assert.Equal("signature-invalid", e.Rule);
    }
}
