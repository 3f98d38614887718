using Berth.Core.Problems;
using Berth.Storage.Tests.Support;
using Berth.Storage.Tokens;

namespace Berth.Storage.Tests.Tokens;

public class StorageTokenServiceTests
{
    private readonly ManualTimeProvider _time = new();
    private StorageTokenService Service(string secret = StorageEnvironment.Secret) => new(secret, _time);

    private StorageGrant Grant(TimeSpan? lifetime = null) =>
        new("upload", "local", Guid.NewGuid(), "a/b.txt", 1000, _time.Now + (lifetime ?? TimeSpan.FromMinutes(10)));

    private static string Rule(Action action) => Assert.Throws<BerthProblemException>(action).Problem.Rule;

    [Fact]
    public void Round_trips()
    {
        var grant = Grant();
        Assert.Equal(grant, Service().Validate(Service().Issue(grant)));
    }

    [Fact]
    public void Rejects_expired() => Assert.Equal("token-expired", Rule(() => Service().Validate(Service().Issue(Grant(TimeSpan.FromSeconds(-1))))));

    [Fact]
    public void Rejects_other_keys() =>
        Assert.Equal("token-invalid", Rule(() => Service().Validate(Service(new string('k', 40)).Issue(Grant()))));

    [Fact]
    public void Rejects_tampered_payload()
    {
        var token = Service().Issue(Grant());
        var other = Service().Issue(Grant() with { Path = "elsewhere" });
        var spliced = other.Split('.')[0] + "." + token.Split('.')[1];
        Assert.Equal("token-invalid", Rule(() => Service().Validate(spliced)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("a.b.c")]
    [InlineData("!!!.???")]
    public void Rejects_malformed(string token)
    {
        var e = Assert.Throws<BerthProblemException>(() => Service().Validate(token));
        Assert.Equal(("token-invalid", 401), (e.Problem.Rule, e.Problem.Status));
    }

    [Fact]
    public void Refuses_short_secrets() => Assert.Throws<ArgumentException>(() => Service("short"));
}
