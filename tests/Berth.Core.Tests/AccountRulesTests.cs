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
    [InlineData("correct horse battery", null)]
    [InlineData("Tr0ub4dor&3-xylophone", null)]
    [InlineData("short", "password-too-short")]
    [InlineData("12345678", "password-too-short")]
    [InlineData("password", "password-too-short")]
    [InlineData("", "required")]
    [InlineData("123456789012", "password-common")]
    [InlineData("qwertyuiop", "password-too-short")]
    [InlineData("qwertyuiop12", "password-common")]
    [InlineData("QWERTYUIOP!!", "password-common")]
    [InlineData("iloveyou2026", "password-common")]
    [InlineData("admin1234567", "password-common")]
    [InlineData("Password-1234", "password-common")]
    [InlineData("2026!!Welcome", "password-common")]
    [InlineData("aaaaaaaaaaaaaaaa", "password-common")]
    [InlineData("abababababab", "password-common")]
    [InlineData("abcdefghijklmn", "password-common")]
    [InlineData("987654321098", "password-common")]
    public void Passwords(string password, string? rule) => Assert.Equal(rule, AccountRules.CheckPassword(password)?.Rule);

    [Theory]
    [InlineData("jane.doe.lab@example.com", "jane.doe.lab@example.com")]
    [InlineData("JANE.DOE.LAB@example.com", "jane.doe.lab@example.com")]
    [InlineData("jane.doe.lab", "jane.doe.lab@example.com")]
    [InlineData("jane.doe.lab99", "jane.doe.lab@example.com")]
    public void The_email_or_its_name_is_not_a_password(string password, string email) =>
        Assert.Equal("password-like-email", AccountRules.CheckPassword(password, email)?.Rule);

    [Fact]
    public void The_common_list_ships_with_the_assembly()
    {
        Assert.True(CommonPasswords.Count >= 300, $"only {CommonPasswords.Count} common passwords");
        foreach (var p in new[] { "password", "12345678", "qwertyuiop", "iloveyou", "admin1234" })
            Assert.True(CommonPasswords.IsCommon(p), p);
        Assert.False(CommonPasswords.IsCommon("violet-otter-quietly"));
    }

    [Theory]
    [InlineData(UserRole.SuperAdmin, UserRole.Admin, true)]
    [InlineData(UserRole.SuperAdmin, UserRole.User, true)]
    [InlineData(UserRole.Admin, UserRole.User, true)]
    [InlineData(UserRole.SuperAdmin, UserRole.SuperAdmin, false)]
    [InlineData(UserRole.Admin, UserRole.Admin, false)]
    [InlineData(UserRole.Admin, UserRole.SuperAdmin, false)]
    [InlineData(UserRole.User, UserRole.User, false)]
    public void Only_a_higher_rank_acts_for_another(UserRole actor, UserRole target, bool allowed)
    {
        Assert.Equal(allowed, actor.Outranks(target));
        Assert.Equal(allowed, actor.RolesBelow().Contains(target));
    }

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

    private const string Date = "2026-01-01T00:00:00Z";
    private const string Nonce = "00112233445566778899aabbccddeeff";

    [Fact]
    public void Signatures_verify_only_the_same_request()
    {
        var body = RequestSignature.HashBody("{\"a\":1}"u8);
        var sig = RequestSignature.Sign("secret", "GET", "/api/vfolders?x=1", Date, body, Nonce);
        Assert.True(RequestSignature.Matches(sig, RequestSignature.Sign("secret", "get", "/api/vfolders?x=1", Date, body.ToUpperInvariant(), Nonce)));
        Assert.False(RequestSignature.Matches(sig, RequestSignature.Sign("secret", "GET", "/api/vfolders?x=2", Date, body, Nonce)));
        Assert.False(RequestSignature.Matches(sig, RequestSignature.Sign("other", "GET", "/api/vfolders?x=1", Date, body, Nonce)));
        // Another body, another nonce or another date: another signature.
        Assert.False(RequestSignature.Matches(sig, RequestSignature.Sign("secret", "GET", "/api/vfolders?x=1", Date, RequestSignature.HashBody("{\"a\":2}"u8), Nonce)));
        Assert.False(RequestSignature.Matches(sig, RequestSignature.Sign("secret", "GET", "/api/vfolders?x=1", Date, body, Nonce.Replace('0', '1'))));
        Assert.False(RequestSignature.Matches(sig, RequestSignature.Sign("secret", "GET", "/api/vfolders?x=1", "2026-01-01T00:00:01Z", body, Nonce)));
        Assert.True(RequestSignature.TryParseAuthorization(RequestSignature.AuthorizationValue("AK1", sig), out var ak, out var parsed));
        Assert.Equal("AK1", ak);
        Assert.Equal(sig, parsed);
        Assert.False(RequestSignature.TryParseAuthorization("Bearer x", out _, out _));
    }

    [Fact]
    public void Parts_cannot_bleed_into_each_other()
    {
        // Moving a character from the path into the date must not give the same string to sign.
        Assert.NotEqual(RequestSignature.StringToSign("GET", "/api/a", "1", RequestSignature.EmptyBodyHash, Nonce),
            RequestSignature.StringToSign("GET", "/api/", "a1", RequestSignature.EmptyBodyHash, Nonce));
    }

    [Fact]
    public void Body_hashes_and_nonces_are_what_the_headers_carry()
    {
        Assert.Equal(RequestSignature.EmptyBodyHash, RequestSignature.HashBody([]));
        var nonce = RequestSignature.NewNonce();
        Assert.True(RequestSignature.IsWellFormedNonce(nonce));
        Assert.Equal(RequestSignature.NonceBytes * 2, nonce.Length);
        Assert.NotEqual(nonce, RequestSignature.NewNonce());
        Assert.False(RequestSignature.IsWellFormedNonce("abc"));
        Assert.False(RequestSignature.IsWellFormedNonce(new string('z', 32)));
        Assert.True(RequestSignature.IsWellFormedContentHash(RequestSignature.EmptyBodyHash));
        Assert.False(RequestSignature.IsWellFormedContentHash("00"));
        Assert.True(RequestSignature.MaxClockSkew <= TimeSpan.FromMinutes(5));
    }

    [Fact]
    public void Created_headers_sign_the_body_given()
    {
        var signed = RequestSignature.Create("AK1", "secret", "POST", "/api/x", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), "{}"u8);
        Assert.Equal(RequestSignature.HashBody("{}"u8), signed.ContentSha256);
        Assert.True(RequestSignature.TryParseAuthorization(signed.Authorization, out var ak, out var sig));
        Assert.Equal("AK1", ak);
        Assert.True(RequestSignature.Matches(RequestSignature.Sign("secret", "POST", "/api/x", signed.Date, signed.ContentSha256, signed.Nonce), sig));
        Assert.Equal(4, signed.All().Count());
    }
}
