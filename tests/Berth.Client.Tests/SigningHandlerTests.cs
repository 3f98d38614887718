using System.Globalization;
using Berth.Core.Auth;

namespace Berth.Client.Tests;

public sealed class SigningHandlerTests
{
    private sealed class Capture : HttpMessageHandler
    {
        public HttpRequestMessage? Request;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Request = request;
            return Task.FromResult(new HttpResponseMessage(System.Net.HttpStatusCode.NoContent));
        }
    }

    private static readonly ApiKeyPair Keys = new("AKTEST", "secret-key-value");

    private static async Task<HttpRequestMessage> SendThrough(HttpRequestMessage request, ApiKeyPair? keys = null)
    {
        var capture = new Capture();
        using var invoker = new HttpMessageInvoker(new SigningHandler(() => keys, capture));
        using var _ = await invoker.SendAsync(request, CancellationToken.None);
        return capture.Request!;
    }

    [Theory]
    [InlineData("GET", "http://127.0.0.1:8090/api/vfolders/.data/files?path=a%20b%2Fc")]
    [InlineData("POST", "http://127.0.0.1:8090/api/vfolders/my%20folder/rename")]
    [InlineData("DELETE", "http://host/api/vfolders/x/shares/a%40b.c")]
    public async Task Signs_api_requests_so_the_server_can_verify_them(string method, string url)
    {
        var sent = await SendThrough(new HttpRequestMessage(new HttpMethod(method), url), Keys);

        var date = Assert.Single(sent.Headers.GetValues(RequestSignature.DateHeader));
        var parsedDate = DateTimeOffset.Parse(date, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        Assert.True((DateTimeOffset.UtcNow - parsedDate).Duration() < TimeSpan.FromMinutes(1));
        Assert.Equal(TimeSpan.Zero, parsedDate.Offset);

        var header = Assert.Single(sent.Headers.GetValues("Authorization"));
        Assert.True(RequestSignature.TryParseAuthorization(header, out var accessKey, out var signature));
        Assert.Equal("AKTEST", accessKey);
        var hash = Assert.Single(sent.Headers.GetValues(RequestSignature.ContentHashHeader));
        Assert.Equal(RequestSignature.EmptyBodyHash, hash);
        var nonce = Assert.Single(sent.Headers.GetValues(RequestSignature.NonceHeader));
        Assert.True(RequestSignature.IsWellFormedNonce(nonce));
        var expected = RequestSignature.Sign("secret-key-value", method, sent.RequestUri!.PathAndQuery, date, hash, nonce);
        Assert.True(RequestSignature.Matches(expected, signature));
        // What is signed is the path as it goes on the wire, escapes included.
        Assert.Equal(new Uri(url).PathAndQuery, sent.RequestUri.PathAndQuery);
    }

    [Fact]
    public async Task Leaves_storage_requests_with_a_bearer_ticket_alone()
    {
        var request = new HttpRequestMessage(HttpMethod.Patch, "http://host/storage/v1/uploads/1");
        request.Headers.Authorization = new("Bearer", "ticket");
        var sent = await SendThrough(request, Keys);
        Assert.Equal("Bearer ticket", sent.Headers.Authorization!.ToString());
        Assert.False(sent.Headers.Contains(RequestSignature.DateHeader));
    }

    [Fact]
    public async Task Sends_anonymous_requests_without_keys()
    {
        var sent = await SendThrough(new HttpRequestMessage(HttpMethod.Post, "http://host/api/auth/login"));
        Assert.Null(sent.Headers.Authorization);
        Assert.False(sent.Headers.Contains(RequestSignature.DateHeader));
    }

    [Fact]
    public async Task Does_not_sign_non_api_paths()
    {
        var sent = await SendThrough(new HttpRequestMessage(HttpMethod.Get, "http://host/health"), Keys);
        Assert.Null(sent.Headers.Authorization);
    }

    [Fact]
    public async Task Signs_the_hash_of_the_body_it_sends()
    {
        var body = "{\"name\":\"x\"}"u8.ToArray();
        var request = new HttpRequestMessage(HttpMethod.Post, "http://host/api/vfolders")
        {
            Content = new StringContent("{\"name\":\"x\"}", System.Text.Encoding.UTF8, "application/json"),
        };
        var sent = await SendThrough(request, Keys);

        var hash = Assert.Single(sent.Headers.GetValues(RequestSignature.ContentHashHeader));
        Assert.Equal(RequestSignature.HashBody(body), hash);
        // The bytes that go out are the ones hashed, and the content type survives the buffering.
        Assert.Equal(body, await sent.Content!.ReadAsByteArrayAsync());
        Assert.Equal("application/json", sent.Content.Headers.ContentType!.MediaType);
        Assert.True(RequestSignature.TryParseAuthorization(Assert.Single(sent.Headers.GetValues("Authorization")), out _, out var signature));
        var date = Assert.Single(sent.Headers.GetValues(RequestSignature.DateHeader));
        var nonce = Assert.Single(sent.Headers.GetValues(RequestSignature.NonceHeader));
        Assert.True(RequestSignature.Matches(RequestSignature.Sign("secret-key-value", "POST", "/api/vfolders", date, hash, nonce), signature));
        Assert.False(RequestSignature.Matches(RequestSignature.Sign("secret-key-value", "POST", "/api/vfolders", date, RequestSignature.EmptyBodyHash, nonce), signature));
    }

    [Fact]
    public async Task Every_request_gets_a_fresh_nonce()
    {
        var first = await SendThrough(new HttpRequestMessage(HttpMethod.Get, "http://host/api/vfolders"), Keys);
        var second = await SendThrough(new HttpRequestMessage(HttpMethod.Get, "http://host/api/vfolders"), Keys);
        Assert.NotEqual(Assert.Single(first.Headers.GetValues(RequestSignature.NonceHeader)),
            Assert.Single(second.Headers.GetValues(RequestSignature.NonceHeader)));
    }

    [Fact]
    public async Task Refuses_to_sign_bodies_over_the_limit()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "http://host/api/vfolders")
        {
            Content = new ByteArrayContent(new byte[RequestSignature.MaxSignedBodyBytes + 1]),
        };
        await Assert.ThrowsAsync<InvalidOperationException>(() => SendThrough(request, Keys));
    }
}
