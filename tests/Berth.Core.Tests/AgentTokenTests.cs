using Berth.Core.Auth;

namespace Berth.Core.Tests;

public class AgentTokenTests
{
    [Theory]
    [InlineData("Bearer secret-token", true)]
    [InlineData("Bearer  secret-token ", true)]
    [InlineData("Bearer secret-tokenx", false)]
    [InlineData("Bearer secret", false)]
    [InlineData("bearer secret-token", false)]
    [InlineData("Basic secret-token", false)]
    [InlineData("secret-token", false)]
    [InlineData("Bearer ", false)]
    [InlineData(null, false)]
    public void Only_the_exact_token_matches(string? header, bool expected) =>
        Assert.Equal(expected, AgentToken.Matches(header, "secret-token"));

    [Fact]
    public void No_configured_token_matches_nothing()
    {
        Assert.False(AgentToken.Matches("Bearer ", ""));
        Assert.False(AgentToken.Matches("Bearer x", null));
    }

    [Fact]
    public void Generated_tokens_are_long_and_different() =>
        Assert.NotEqual(AgentToken.Generate(), AgentToken.Generate());
}
