using Berth.Core.Accounts;
using Berth.Core.Auth;
using Berth.Core.Units;

namespace Berth.Core.Tests;

public class AccountRulesTests
{
    [Theory]
    [InlineData("user1@example.com", null)]
    [InlineData("", "required")]
    [InlineData("no-at-sign", "email-invalid")]
    [InlineData("two@@signs", "email-invalid")]
    [InlineData("sp ace@x.y", "email-invalid")]
    [InlineData("a@b.c\n", "email-invalid")]
    public void Emails(string email, string? rule) => Assert.Equal(rule, AccountRules.CheckEmail(email)?.Rule);

    [Theory]
    [InlineData("12345678", null)]
    [InlineData("short", "password-too-short")]
    [InlineData("", "required")]
    public void Passwords(string password, string? rule) => Assert.Equal(rule, AccountRules.CheckPassword(password)?.Rule);

    [Theory]
    [InlineData(UserRole.SuperAdmin, UserRole.SuperAdmin, true)]
    [InlineData(UserRole.SuperAdmin, UserRole.Admin, true)]
    [InlineData(UserRole.Admin, UserRole.User, true)]
    [InlineData(UserRole.Admin, UserRole.Admin, false)]
    [InlineData(UserRole.Admin, UserRole.SuperAdmin, false)]
    [InlineData(UserRole.User, UserRole.User, false)]
    public void Nobody_grants_more_than_they_hold(UserRole actor, UserRole target, bool allowed) =>
        Assert.Equal(allowed, actor.CanGrant(target));

    [Theory]
    [InlineData("512", 512L)]
    [InlineData("1k", 1024L)]
    [InlineData("256m", 256L * 1024 * 1024)]
    [InlineData("4g", 4L * 1024 * 1024 * 1024)]
    [InlineData("1.5GiB", 1536L * 1024 * 1024)]
    [InlineData("2G", 2L * 1024 * 1024 * 1024)]
    public void Sizes_parse(string text, long expected)
    {
        Assert.True(ByteSize.TryParse(text, out var bytes));
        Assert.Equal(expected, bytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("12x")]
    [InlineData("0.5")]
    public void Bad_sizes_are_refused(string text) => Assert.False(ByteSize.TryParse(text, out _));

    [Fact]
    public void Signatures_verify_only_the_same_request()
    {
        var sig = RequestSignature.Sign("secret", "GET", "/api/vfolders?x=1", "2026-01-01T00:00:00Z");
        Assert.True(RequestSignature.Matches(sig, RequestSignature.Sign("secret", "get", "/api/vfolders?x=1", "2026-01-01T00:00:00Z")));
        Assert.False(RequestSignature.Matches(sig, RequestSignature.Sign("secret", "GET", "/api/vfolders?x=2", "2026-01-01T00:00:00Z")));
        Assert.False(RequestSignature.Matches(sig, RequestSignature.Sign("other", "GET", "/api/vfolders?x=1", "2026-01-01T00:00:00Z")));
        Assert.True(RequestSignature.TryParseAuthorization(RequestSignature.AuthorizationValue("AK1", sig), out var ak, out var parsed));
        Assert.Equal("AK1", ak);
        Assert.Equal(sig, parsed);
        Assert.False(RequestSignature.TryParseAuthorization("Bearer x", out _, out _));
    }
}
