using Berth.Core.Apps;

namespace Berth.Core.Tests.Apps;

public class AppOriginTests
{
    [Theory]
    [InlineData("http://127.0.0.1:10250", "http", "127.0.0.1:10250")]
    [InlineData("http://example.org", "http", "example.org:80")]
    [InlineData("http://example.org:80", "http", "example.org")]
    [InlineData("https://example.org", "https", "example.org:443")]
    [InlineData("HTTP://Example.ORG:8090", "http", "example.org:8090")]
    [InlineData("http://abc.apps.example.org:8090", "http", "ABC.Apps.Example.org:8090")]
    [InlineData("http://[::1]:10250", "http", "[::1]:10250")]
    [InlineData("http://[0:0:0:0:0:0:0:1]:10250", "http", "[::1]:10250")]
    [InlineData("http://[::FFFF:127.0.0.1]", "http", "[::ffff:7f00:1]:80")]
    [InlineData("http://localhost:8090", "HTTP", "localhost:8090")]
    public void The_same_origin_is_recognized_however_it_is_spelled(string origin, string scheme, string host) =>
        Assert.True(AppOrigin.IsSameOrigin(origin, scheme, host));

    [Theory]
    [InlineData("http://127.0.0.1:10251", "http", "127.0.0.1:10250")] // another port: another app
    [InlineData("http://127.0.0.1", "http", "127.0.0.1:10250")]
    [InlineData("https://127.0.0.1:10250", "http", "127.0.0.1:10250")] // another scheme
    [InlineData("http://evil.example.com", "http", "127.0.0.1:10250")]
    [InlineData("http://localhost:10250", "http", "127.0.0.1:10250")] // another host name for the same address is another origin
    [InlineData("http://a.apps.example.org", "http", "b.apps.example.org")]
    [InlineData("http://apps.example.org", "http", "a.apps.example.org")]
    [InlineData("http://[::1]:10250", "http", "127.0.0.1:10250")]
    [InlineData("http://[::1]:10251", "http", "[::1]:10250")]
    [InlineData("http://example.org:443", "https", "example.org")]
    public void Another_origin_is_not_the_same(string origin, string scheme, string host) =>
        Assert.False(AppOrigin.IsSameOrigin(origin, scheme, host));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("NULL")]
    [InlineData("127.0.0.1:10250")]
    [InlineData("file://")]
    [InlineData("ftp://127.0.0.1:10250")]
    [InlineData("http://127.0.0.1:10250/path")]
    [InlineData("http://user@127.0.0.1:10250")]
    [InlineData("http://127.0.0.1:10250?q")]
    [InlineData("http://")]
    [InlineData("http://127.0.0.1:99999")]
    public void Opaque_or_malformed_origins_match_nothing(string? origin)
    {
        Assert.False(AppOrigin.TryParse(origin, out _));
        Assert.False(AppOrigin.IsSameOrigin(origin, "http", "127.0.0.1:10250"));
    }

    [Fact]
    public void A_request_without_a_host_has_no_origin_to_match() =>
        Assert.False(AppOrigin.IsSameOrigin("http://127.0.0.1:10250", "http", null));

    [Theory]
    [InlineData("http://Example.org:80", "http://example.org")]
    [InlineData("https://example.org:8443", "https://example.org:8443")]
    [InlineData("http://[0::1]:10250", "http://[::1]:10250")]
    public void It_prints_as_browsers_write_it(string text, string printed)
    {
        Assert.True(AppOrigin.TryParse(text, out var origin));
        Assert.Equal(printed, origin.ToString());
    }
}
