using Berth.Core.Apps;

namespace Berth.Core.Tests.Apps;

public class AppHostPatternTests
{
    private const string Token = "0123456789abcdef0123456789abcdef";

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void Empty_means_no_host_names(string? text)
    {
        Assert.True(AppHostPattern.TryParse(text, out var pattern, out var error));
        Assert.Null(pattern);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("{token}.apps.example.org", "0123456789abcdef0123456789abcdef.apps.example.org")]
    [InlineData("{token}.apps.localhost", "0123456789abcdef0123456789abcdef.apps.localhost")]
    [InlineData("app-{token}.Example.org", "app-0123456789abcdef0123456789abcdef.example.org")]
    [InlineData("{token}-berth.example.org", "0123456789abcdef0123456789abcdef-berth.example.org")]
    public void A_pattern_gives_each_token_its_host_and_reads_it_back(string text, string host)
    {
        Assert.True(AppHostPattern.TryParse(text, out var pattern, out var error), error);
        Assert.Equal(host, pattern!.HostFor(Token));
        Assert.True(pattern.TryMatch(host, out var token));
        Assert.Equal(Token, token);
        Assert.True(pattern.TryMatch(host.ToUpperInvariant() + ".", out token));
        Assert.Equal(Token, token);
    }

    [Theory]
    [InlineData("apps.example.org")]
    [InlineData("{token}.{token}.example.org")]
    [InlineData("apps.{token}.example.org")]
    [InlineData("{token}")]
    [InlineData("{token}.apps.example.org:8090")]
    [InlineData("http://{token}.apps.example.org")]
    [InlineData("{token}.apps..example.org")]
    [InlineData("{token}.-apps.example.org")]
    [InlineData("{token}.apps_x.example.org")]
    public void Bad_patterns_are_refused_with_a_reason(string text)
    {
        Assert.False(AppHostPattern.TryParse(text, out var pattern, out var error));
        Assert.Null(pattern);
        Assert.Contains(text, error);
    }

    [Theory]
    [InlineData("apps.example.org")]
    [InlineData(".apps.example.org")]
    [InlineData("x.y.apps.example.org")]
    [InlineData("not-hex.apps.example.org")]
    [InlineData("0123456789abcdef.apps.example.org.evil.com")]
    [InlineData("0123456789abcdef.other.example.org")]
    [InlineData("")]
    [InlineData(null)]
    public void Other_hosts_are_no_app(string? host)
    {
        Assert.True(AppHostPattern.TryParse("{token}.apps.example.org", out var pattern, out _));
        Assert.False(pattern!.TryMatch(host, out _));
    }
}
