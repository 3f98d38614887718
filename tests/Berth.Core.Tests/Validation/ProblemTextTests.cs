using Berth.Core.Problems;

namespace Berth.Core.Tests.Validation;

public class ProblemTextTests
{
    [Fact]
    public void Quote_escapes_control_characters_so_input_cannot_forge_a_line()
    {
        var quoted = ProblemText.Quote("a\nfail: forged\r\u0000\u001b[31m\u2028x'y");
        Assert.Equal("'a\\nfail: forged\\r\\u0000\\u001b[31m\\u2028x\\'y'", quoted);
        Assert.DoesNotContain('\n', quoted);
    }

    [Fact]
    public void Quote_keeps_only_a_short_prefix_of_a_long_value_and_says_how_long_it_was()
    {
        var quoted = ProblemText.Quote(new string('x', 8 * 1024 * 1024));
        Assert.True(quoted.Length < 100, quoted);
        Assert.StartsWith("'" + new string('x', 64) + "…'", quoted);
        Assert.EndsWith("(8388608 characters)", quoted);
    }

    [Fact]
    public void Quote_never_splits_a_surrogate_pair_into_invalid_text()
    {
        var quoted = ProblemText.Quote(new string('x', 63) + "😀", max: 64);
        Assert.Equal(-1, ProblemText.IndexOfLoneSurrogate(quoted));
    }

    [Fact]
    public void Lone_surrogates_are_found_and_pairs_are_not()
    {
        Assert.Equal(-1, ProblemText.IndexOfLoneSurrogate("ok 😀"));
        Assert.Equal(1, ProblemText.IndexOfLoneSurrogate("a\ud800b"));
        Assert.Equal(0, ProblemText.IndexOfLoneSurrogate("\udc00"));
    }

    [Fact]
    public void Escape_leaves_ordinary_text_alone()
    {
        Assert.Equal("it's fine", ProblemText.Escape("it's fine"));
        Assert.Equal("a\\tb", ProblemText.Escape("a\tb"));
    }
}
