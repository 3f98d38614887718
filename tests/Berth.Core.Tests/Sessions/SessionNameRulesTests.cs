using Berth.Core.Sessions;

namespace Berth.Core.Tests.Sessions;

public class SessionNameRulesTests
{
    [Theory]
    [InlineData("abcd")]
    [InlineData("my-session")]
    [InlineData("train.v2_final")]
    [InlineData("A_9_")]
    [InlineData("_hid")]
    [InlineData("sess-01234567")]
    [InlineData("a..b")]
    public void Accepts_valid_names(string name) => Assert.Null(SessionNameRules.Check(name));

    [Fact]
    public void Accepts_exactly_64_characters() => Assert.Null(SessionNameRules.Check(new string('a', 64)));

    [Theory]
    [InlineData(null, "required")]
    [InlineData("", "required")]
    [InlineData("a", "name-too-short")]
    [InlineData("abc", "name-too-short")]
    [InlineData("-abcd", "name-invalid")]
    [InlineData("abcd-", "name-invalid")]
    [InlineData(".abcd", "name-invalid")]
    [InlineData("abcd.", "name-invalid")]
    [InlineData("has space", "name-invalid")]
    [InlineData("slash/in", "name-invalid")]
    [InlineData("ünïcode", "name-invalid")]
    [InlineData("名前です", "name-invalid")]
    [InlineData("abcd\n", "name-invalid")]
    [InlineData("ab:cd", "name-invalid")]
    public void Refuses_bad_names(string? name, string rule)
    {
        var p = SessionNameRules.Check(name);
        Assert.NotNull(p);
        Assert.Equal((rule, "name", 400), (p.Rule, p.Field, p.Status));
        Assert.False(string.IsNullOrWhiteSpace(p.Detail));
    }

    [Fact]
    public void Too_long_names_are_refused_with_the_count()
    {
        var p = SessionNameRules.Check(new string('a', 65))!;
        Assert.Equal("name-too-long", p.Rule);
        Assert.Contains("64", p.Detail);
        Assert.Contains("65", p.Detail);
    }

    [Fact]
    public void Field_can_be_chosen()
    {
        var p = SessionNameRules.Check("x", "sessionName")!;
        Assert.Equal("sessionName", p.Field);
    }

    [Fact]
    public void Generated_names_are_valid_and_vary()
    {
        var random = new Random(42);
        var names = Enumerable.Range(0, 500).Select(_ => SessionNameRules.Generate(random)).ToList();
        foreach (var name in names)
        {
            Assert.Null(SessionNameRules.Check(name));
            Assert.Matches(@"\Asess-[a-z0-9]{8}\z", name);
        }
        Assert.True(names.Distinct().Count() > 490);
    }
}
