using Berth.Core.Contracts;
using Berth.Core.Sessions;

namespace Berth.Core.Tests.Sessions;

public class LaunchHistoryRulesTests
{
    [Theory]
    [InlineData("AWS_SECRET_ACCESS_KEY")]
    [InlineData("hf_token")]
    [InlineData("DB_PASSWORD")]
    [InlineData("OPENAI_API_KEY")]
    [InlineData("GITHUB_AUTH")]
    public void Credential_like_names_look_secret(string name) => Assert.True(LaunchHistoryRules.LooksSecret(name));

    [Theory]
    [InlineData("EPOCHS")]
    [InlineData("OMP_NUM_THREADS")]
    [InlineData("LANG")]
    public void Ordinary_names_do_not(string name) => Assert.False(LaunchHistoryRules.LooksSecret(name));

    [Fact]
    public void Redaction_keeps_other_values_and_names_the_omitted_ones()
    {
        var request = new CreateSessionRequest("python", Environment: new Dictionary<string, string> { ["HF_TOKEN"] = "hf_x", ["EPOCHS"] = "3" });
        var kept = LaunchHistoryRules.Redact(request, out var omitted);
        Assert.Equal(new Dictionary<string, string> { ["EPOCHS"] = "3" }, kept.Environment);
        Assert.Equal(["HF_TOKEN"], omitted);
        Assert.Equal("python", kept.Image);
    }

    [Fact]
    public void Only_unpinned_entries_beyond_the_five_newest_overflow()
    {
        var start = new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc);
        var entries = Enumerable.Range(0, 8).Select(i => (At: start.AddMinutes(i), Pinned: i == 0)).ToList();
        var overflow = LaunchHistoryRules.Overflow(entries, e => e.Pinned, e => e.At);
        Assert.Equal([start.AddMinutes(2), start.AddMinutes(1)], overflow.Select(e => e.At));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("baseline", null)]
    [InlineData("   ", "title-blank")]
    public void Titles_are_checked(string? title, string? rule) => Assert.Equal(rule, LaunchHistoryRules.CheckTitle(title)?.Rule);

    [Fact]
    public void A_title_over_64_characters_is_refused() =>
        Assert.Equal("title-too-long", LaunchHistoryRules.CheckTitle(new string('x', 65))?.Rule);
}
