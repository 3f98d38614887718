using System.Net;
using System.Net.Http.Headers;
using Berth.Storage.Tests.Support;

namespace Berth.Storage.Tests.Downloads;

/// <summary>RFC 9110 HEAD and Range semantics of the download endpoint (docs/storage.md, "Downloads").</summary>
public class RangeTests : IAsyncLifetime
{
    private StorageEnvironment _env = null!;
    private readonly byte[] _data = Enumerable.Range(0, 1000).Select(i => (byte)(i % 251)).ToArray();

    public async Task InitializeAsync()
    {
        _env = await StorageEnvironment.StartAsync();
        await File.WriteAllBytesAsync(Path.Combine(_env.FolderDir, "dir", "data.bin"), _data);
    }

    public async Task DisposeAsync() => await _env.DisposeAsync();

    private HttpRequestMessage Request(HttpMethod method, string path, string? range = null)
    {
        var request = new HttpRequestMessage(method, "/storage/v1/download");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _env.Token("download", path));
        if (range is not null) Assert.True(request.Headers.TryAddWithoutValidation("Range", range));
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => await _env.Http.SendAsync(request);

    [Fact]
    public async Task Head_on_a_file_gives_the_headers_of_get_without_a_body()
    {
        using var get = await SendAsync(Request(HttpMethod.Get, "dir/data.bin"));
        using var head = await SendAsync(Request(HttpMethod.Head, "dir/data.bin"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal(1000, head.Content.Headers.ContentLength);
        Assert.Equal("bytes", head.Headers.AcceptRanges.Single());
        Assert.Equal(get.Headers.ETag, head.Headers.ETag);
        Assert.Equal(get.Content.Headers.LastModified, head.Content.Headers.LastModified);
        Assert.Equal(get.Content.Headers.ContentDisposition, head.Content.Headers.ContentDisposition);
        Assert.Equal(get.Content.Headers.ContentType, head.Content.Headers.ContentType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Head_on_a_directory_describes_the_archive_without_building_it()
    {
        using var head = await SendAsync(Request(HttpMethod.Head, "dir"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("application/x-tar", head.Content.Headers.ContentType?.MediaType);
        Assert.Equal("dir.tar", head.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal("none", head.Headers.AcceptRanges.Single());
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        using var get = await _env.Http.SendAsync(Request(HttpMethod.Get, "dir"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("none", get.Headers.AcceptRanges.Single());
        Assert.Null(get.Content.Headers.ContentLength); // streamed: the length is not known in advance
    }

    [Fact]
    public async Task Head_on_a_missing_path_is_404()
    {
        using var head = await SendAsync(Request(HttpMethod.Head, "nope.bin"));
        Assert.Equal(HttpStatusCode.NotFound, head.StatusCode);
    }

    [Theory]
    [InlineData("items=0-5")]      // unknown unit: MUST be ignored (RFC 9110 §14.2)
    [InlineData("Bytes =0-5")]     // not the grammar (no whitespace before '=')
    [InlineData("bytes=0-5,10-20")] // several ranges: Berth ignores them rather than send multipart/byteranges
    [InlineData("bytes=abc")]      // malformed
    [InlineData("bytes=9-3")]      // last < first: invalid, so ignored
    public async Task Ranges_that_are_ignored_get_the_whole_file(string range)
    {
        using var response = await SendAsync(Request(HttpMethod.Get, "dir/data.bin", range));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentRange);
        Assert.Equal(_data, await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("bytes=0-5", 0, 5)]
    [InlineData("BYTES=0-5", 0, 5)]     // the unit is case-insensitive
    [InlineData("bytes=990-", 990, 999)] // open-ended
    [InlineData("bytes=-3", 997, 999)]   // suffix: the last three bytes
    [InlineData("bytes=-5000", 0, 999)]  // a suffix longer than the file is the whole file
    [InlineData("bytes=995-5000", 995, 999)] // a last byte past the end is clamped
    public async Task A_single_byte_range_is_partial_content(string range, int first, int last)
    {
        using var response = await SendAsync(Request(HttpMethod.Get, "dir/data.bin", range));
        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal($"bytes {first}-{last}/1000", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal(_data[first..(last + 1)], await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("bytes=1000-")]
    [InlineData("bytes=5000-6000")]
    public async Task An_unsatisfiable_range_is_416_with_the_length(string range)
    {
        using var response = await SendAsync(Request(HttpMethod.Get, "dir/data.bin", range));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        Assert.Equal("bytes */1000", response.Content.Headers.ContentRange?.ToString());
    }

    [Fact]
    public async Task If_range_serves_the_range_only_while_the_validator_matches()
    {
        EntityTagHeaderValue? etag;
        using (var head = await SendAsync(Request(HttpMethod.Head, "dir/data.bin"))) etag = head.Headers.ETag;
        Assert.NotNull(etag);

        var fresh = Request(HttpMethod.Get, "dir/data.bin", "bytes=0-9");
        fresh.Headers.TryAddWithoutValidation("If-Range", etag.Tag);
        using (var response = await SendAsync(fresh))
        {
            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
            Assert.Equal(_data[..10], await response.Content.ReadAsByteArrayAsync());
        }

        var stale = Request(HttpMethod.Get, "dir/data.bin", "bytes=0-9");
        stale.Headers.TryAddWithoutValidation("If-Range", "\"not-the-file-any-more\"");
        using (var response = await SendAsync(stale))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal(_data, await response.Content.ReadAsByteArrayAsync());
        }
    }

    [Fact]
    public async Task Ranges_on_a_directory_archive_are_ignored()
    {
        using var response = await _env.Http.SendAsync(Request(HttpMethod.Get, "dir", "bytes=0-5"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Content.Headers.ContentRange);
    }
}
