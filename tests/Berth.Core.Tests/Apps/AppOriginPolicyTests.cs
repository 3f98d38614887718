using Berth.Core.Apps;

namespace Berth.Core.Tests.Apps;

public class AppOriginPolicyTests
{
    private const string Host = "127.0.0.1:10250";
    private const string Own = "http://127.0.0.1:10250";
    private const string Other = "http://127.0.0.1:10251";

    [Theory]
    [InlineData("POST")]
    [InlineData("put")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public void A_state_changing_request_from_another_page_is_refused(string method)
    {
        var refusal = AppOriginPolicy.Refusal(method, false, Other, null, "http", Host);
        Assert.NotNull(refusal);
        Assert.Contains(Other, refusal);
        Assert.Contains(Own, refusal);
    }

    [Fact]
    public void A_websocket_upgrade_from_another_page_is_refused() =>
        Assert.NotNull(AppOriginPolicy.Refusal("GET", true, "http://evil.example.com", null, "http", Host));

    [Fact]
    public void A_websocket_upgrade_from_an_opaque_origin_is_refused() =>
        Assert.NotNull(AppOriginPolicy.Refusal("GET", true, "null", null, "http", Host));

    [Theory]
    [InlineData("POST", false)]
    [InlineData("DELETE", false)]
    [InlineData("GET", true)]
    public void The_apps_own_pages_pass(string method, bool upgrade)
    {
        Assert.Null(AppOriginPolicy.Refusal(method, upgrade, Own, "same-origin", "http", Host));
        Assert.Null(AppOriginPolicy.Refusal(method, upgrade, "http://127.0.0.1:10250", null, "HTTP", "127.0.0.1:10250"));
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("HEAD")]
    [InlineData("OPTIONS")]
    public void Reads_are_not_checked(string method) =>
        Assert.Null(AppOriginPolicy.Refusal(method, false, "http://evil.example.com", "cross-site", "http", Host));

    [Theory]
    [InlineData("cross-site")]
    [InlineData("same-site")]
    [InlineData("Cross-Site")]
    public void Without_an_origin_a_fetch_site_of_another_page_is_refused(string site) =>
        Assert.NotNull(AppOriginPolicy.Refusal("POST", false, null, site, "http", Host));

    [Theory]
    [InlineData(null)]
    [InlineData("same-origin")]
    [InlineData("none")]
    public void Without_an_origin_other_callers_pass(string? site)
    {
        // The CLI, curl and scripts send neither header; a typed address or bookmark says "none".
        Assert.Null(AppOriginPolicy.Refusal("POST", false, null, site, "http", Host));
        Assert.Null(AppOriginPolicy.Refusal("GET", true, "", site, "http", Host));
    }

    [Fact]
    public void An_origin_wins_over_the_fetch_site() =>
        Assert.NotNull(AppOriginPolicy.Refusal("POST", false, Other, "same-origin", "http", Host));
}
