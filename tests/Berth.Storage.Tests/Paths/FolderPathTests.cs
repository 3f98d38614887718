using Berth.Core.Problems;
using Berth.Storage.Paths;

namespace Berth.Storage.Tests.Paths;

public class FolderPathTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("./")]
    [InlineData(".//./")]
    public void Empty_forms_are_the_root(string? input) => Assert.True(FolderPath.Parse(input).IsRoot);

    [Theory]
    [InlineData("a//b/./c/", "a/b/c")]
    [InlineData("./a", "a")]
    [InlineData("a b/ü.txt", "a b/ü.txt")]
    [InlineData("...", "...")]
    [InlineData("..a/b..", "..a/b..")]
    public void Collapses_redundant_separators(string input, string expected) =>
        Assert.Equal(expected, FolderPath.Parse(input).ToString());

    [Theory]
    [InlineData("/etc/passwd", "path-absolute")]
    [InlineData("/", "path-absolute")]
    [InlineData("..", "path-escapes-folder")]
    [InlineData("../x", "path-escapes-folder")]
    [InlineData("a/../../x", "path-escapes-folder")]
    [InlineData("a/../b", "path-escapes-folder")]
    [InlineData("a/..", "path-escapes-folder")]
    [InlineData("a\0b", "path-invalid")]
    [InlineData("a\nb", "path-invalid")]
    public void Rejects_paths_that_could_leave_the_folder(string input, string rule)
    {
        var e = Assert.Throws<BerthProblemException>(() => FolderPath.Parse(input, "source"));
        Assert.Equal(rule, e.Problem.Rule);
        Assert.Equal("source", e.Problem.Field);
        Assert.Equal(400, e.Problem.Status);
    }

    [Fact]
    public void Rejects_overlong_names() =>
        Assert.Equal("path-invalid", Assert.Throws<BerthProblemException>(() => FolderPath.Parse(new string('x', 256))).Problem.Rule);

    [Fact]
    public void Knows_parent_and_name()
    {
        var p = FolderPath.Parse("a/b/c");
        Assert.Equal("c", p.Name);
        Assert.Equal("a/b", p.Parent.ToString());
        Assert.Equal(["a", "b", "c"], p.Components);
        Assert.True(p.IsSameOrUnder(FolderPath.Parse("a/b")));
        Assert.False(FolderPath.Parse("a/bc").IsSameOrUnder(FolderPath.Parse("a/b")));
    }
}
