using Berth.Core.Apps;

namespace Berth.Core.Tests.Apps;

public class AppCookieScopeTests
{
    private static readonly Guid Session = Guid.Parse("0b5e6c2a-3a61-4c4e-9d8e-0f1a2b3c4d5e");
    private static readonly string Key = AppCookieScope.KeyFor(Session, "jupyter");
    private static readonly AppCookieScope Port = AppCookieScope.Renamed(Key);

    [Fact]
    public void The_key_is_stable_for_one_app_and_differs_between_apps()
    {
        Assert.Equal(Key, AppCookieScope.KeyFor(Session, "jupyter"));
        Assert.Matches("^[0-9a-f]{16}$", Key);
        Assert.NotEqual(Key, AppCookieScope.KeyFor(Session, "port-8080"));
        Assert.NotEqual(Key, AppCookieScope.KeyFor(Guid.NewGuid(), "jupyter"));
    }

    [Fact]
    public void A_request_carries_only_the_apps_own_cookies_under_their_own_names()
    {
        var other = AppCookieScope.KeyFor(Guid.NewGuid(), "port-8080");
        var header = $"berth_auth_10250=secret; bapp_{Key}__xsrf=2|abc; bapp_{other}__xsrf=stolen; theme=dark; berth_auth=s2; bapp_{Key}_username-x=\"quoted=v\"";
        Assert.Equal("_xsrf=2|abc; username-x=\"quoted=v\"", Port.ForRequest([header]));
    }

    [Fact]
    public void Several_cookie_headers_are_joined_and_nothing_left_sends_none()
    {
        Assert.Equal("a=1; b=2", Port.ForRequest([$"bapp_{Key}_a=1", $"x=1; bapp_{Key}_b=2"]));
        Assert.Null(Port.ForRequest(["berth_auth_10250=secret; theme=dark; =odd; novalue"]));
        Assert.Null(Port.ForRequest([$"bapp_{Key}_=empty-name"]));
    }

    [Fact]
    public void On_an_origin_of_its_own_the_app_gets_every_cookie_but_berths()
    {
        var own = AppCookieScope.OwnOrigin();
        Assert.Equal("_xsrf=1; theme=dark", own.ForRequest(["berth_auth=s; _xsrf=1; BERTH_x=2; bapp_k_y=3; theme=dark"]));
    }

    [Fact]
    public void A_cookie_the_app_sets_is_renamed_host_only_and_http_only()
    {
        Assert.Equal($"bapp_{Key}__xsrf=2|abc; Path=/; expires=Wed, 01 Dec 2027 10:00:00 GMT; SameSite=Lax; HttpOnly",
            Port.ForResponse("_xsrf=2|abc; Domain=127.0.0.1; Path=/; expires=Wed, 01 Dec 2027 10:00:00 GMT; SameSite=Lax"));
        Assert.Equal($"bapp_{Key}_s=1; httponly; Secure", Port.ForResponse("s=1; httponly; Secure"));
        Assert.Equal($"bapp_{Key}_gone=; Max-Age=0; HttpOnly", Port.ForResponse("gone=; Max-Age=0"));
    }

    [Fact]
    public void Under_a_path_url_the_cookie_path_is_moved_under_the_prefix()
    {
        var path = AppCookieScope.Renamed(Key, "/proxy/abc/");
        Assert.Equal($"bapp_{Key}_a=1; Path=/proxy/abc/; HttpOnly", path.ForResponse("a=1; Path=/"));
        Assert.Equal($"bapp_{Key}_a=1; Path=/proxy/abc/tree; HttpOnly", path.ForResponse("a=1; path=tree"));
        Assert.Equal($"bapp_{Key}_a=1; HttpOnly", path.ForResponse("a=1"));
    }

    [Fact]
    public void On_an_origin_of_its_own_cookies_keep_their_names_but_not_a_domain_or_berths_names()
    {
        var own = AppCookieScope.OwnOrigin();
        Assert.Equal("_xsrf=1; Path=/", own.ForResponse("_xsrf=1; Domain=apps.example.org; Path=/"));
        Assert.Null(own.ForResponse("berth_auth=forged; Path=/"));
        Assert.Null(own.ForResponse("bapp_0123456789abcdef_x=1"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("novalue")]
    [InlineData("=v; Path=/")]
    public void A_nameless_set_cookie_is_dropped(string setCookie) => Assert.Null(Port.ForResponse(setCookie));
}
