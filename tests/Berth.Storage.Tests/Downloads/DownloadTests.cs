using System.Formats.Tar;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Berth.Storage.Tests.Support;

namespace Berth.Storage.Tests.Downloads;

public class DownloadTests : IAsyncLifetime
{
    private StorageEnvironment _env = null!;
    private byte[] _data = null!;

    public async Task InitializeAsync()
    {
        _env = await StorageEnvironment.StartAsync();
        _data = new byte[2 * 1024 * 1024 + 77];
        new Random(7).NextBytes(_data);
        await File.WriteAllBytesAsync(Path.Combine(_env.FolderDir, "dir", "sub", "big.bin"), _data);
    }

    public async Task DisposeAsync() => await _env.DisposeAsync();

    private HttpRequestMessage Get(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/storage/v1/download");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _env.Token("download", path));
        return request;
    }

    [Fact]
    public async Task File_downloads_whole()
    {
        using var response = await _env.Http.SendAsync(Get("dir/sub/big.bin"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("big.bin", response.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal(_data.Length, response.Content.Headers.ContentLength);
        Assert.NotNull(response.Headers.ETag);
        Assert.Equal(SHA256.HashData(_data), SHA256.HashData(await response.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task Range_requests_return_partial_content()
    {
        var request = Get("dir/sub/big.bin");
        request.Headers.Range = new RangeHeaderValue(10, 19);
        using var response = await _env.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(_data[10..20], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal($"bytes 10-19/{_data.Length}", response.Content.Headers.ContentRange?.ToString());
    }

    [Fact]
    public async Task Query_token_works_for_browsers()
    {
        using var response = await _env.Http.GetAsync("/storage/v1/download?token=" + Uri.EscapeDataString(_env.Token("download", "dir/file.txt")));
        Assert.Equal("hello", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Directory_downloads_as_tar()
    {
        using var response = await _env.Http.SendAsync(Get("dir"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-tar", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("dir.tar", response.Content.Headers.ContentDisposition?.FileName);
        var files = new Dictionary<string, byte[]>();
        var types = new Dictionary<string, TarEntryType>();
        using var reader = new TarReader(await response.Content.ReadAsStreamAsync());
        while (await reader.GetNextEntryAsync() is { } entry)
        {
            types[entry.Name] = entry.EntryType;
            if (entry.DataStream is { } s)
            {
                using var buffer = new MemoryStream();
                await s.CopyToAsync(buffer);
                files[entry.Name] = buffer.ToArray();
            }
        }
        Assert.Equal(TarEntryType.Directory, types["dir/"]);
        Assert.Equal(TarEntryType.Directory, types["dir/sub/"]);
        Assert.Equal("hello"u8.ToArray(), files["dir/file.txt"]);
        Assert.Equal("deep"u8.ToArray(), files["dir/sub/deep.txt"]);
        Assert.Equal(SHA256.HashData(_data), SHA256.HashData(files["dir/sub/big.bin"]));
        Assert.Equal(TarEntryType.SymbolicLink, types["dir/link-mid"]);
    }

    [Fact]
    public async Task Missing_paths_and_wrong_operations_fail()
    {
        using (var missing = await _env.Http.SendAsync(Get("nope.txt")))
            await Tus.AssertProblemAsync(missing, HttpStatusCode.NotFound, "path-not-found");
        var upload = new HttpRequestMessage(HttpMethod.Get, "/storage/v1/download?token=" + _env.Token("upload", "dir/file.txt"));
        using (var wrong = await _env.Http.SendAsync(upload))
            await Tus.AssertProblemAsync(wrong, HttpStatusCode.Forbidden, "token-operation-mismatch");
        var other = new HttpRequestMessage(HttpMethod.Get, "/storage/v1/download?token=" + _env.Token("download", "x", host: "nowhere"));
        using (var host = await _env.Http.SendAsync(other))
            await Tus.AssertProblemAsync(host, HttpStatusCode.NotFound, "storage-host-not-found");
    }
}
