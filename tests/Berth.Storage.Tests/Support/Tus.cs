using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Berth.Storage.Tests.Support;

/// <summary>Minimal tus client calls, spelled out so tests show the protocol.</summary>
public static class Tus
{
    public static HttpRequestMessage Request(HttpMethod method, string url, string token)
    {
        var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.Add("Tus-Resumable", "1.0.0");
        return request;
    }

    public static async Task<HttpResponseMessage> CreateAsync(HttpClient http, string token, long length)
    {
        var request = Request(HttpMethod.Post, "/storage/v1/uploads", token);
        request.Headers.Add("Upload-Length", length.ToString());
        return await http.SendAsync(request);
    }

    public static async Task<string> CreateOkAsync(HttpClient http, string token, long length)
    {
        using var response = await CreateAsync(http, token, length);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("0", response.Headers.GetValues("Upload-Offset").Single());
        return response.Headers.Location!.OriginalString;
    }

    public static async Task<long> OffsetAsync(HttpClient http, string location, string token)
    {
        using var response = await http.SendAsync(Request(HttpMethod.Head, location, token));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return long.Parse(response.Headers.GetValues("Upload-Offset").Single());
    }

    public static async Task<HttpResponseMessage> PatchAsync(HttpClient http, string location, string token, long offset, HttpContent content, CancellationToken ct = default)
    {
        var request = Request(HttpMethod.Patch, location, token);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/offset+octet-stream");
        request.Headers.Add("Upload-Offset", offset.ToString());
        request.Content = content;
        return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
    }

    /// <summary>Reads the problem+json body and checks its rule.</summary>
    public static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string rule)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {status}, got {response.StatusCode}: {body}");
        if (response.RequestMessage?.Method == HttpMethod.Head) return; // HEAD responses carry no body
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var doc = JsonDocument.Parse(body);
        Assert.Equal(rule, doc.RootElement.GetProperty("rule").GetString());
    }
}
