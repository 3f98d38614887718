using Berth.Core.Sessions;

namespace Berth.Core.Tests.Sessions;

public class CommitRulesTests
{
    [Theory]
    [InlineData("mine1")]
    [InlineData("my.env_2-x")]
    [InlineData("Abcd")]
    [InlineData("a2345678901234567890123456789012")]
    public void Valid_image_names_pass(string name) => Assert.Null(CommitRules.CheckImageName(name));

    [Theory]
    [InlineData("abc")]
    [InlineData("a23456789012345678901234567890123")]
    [InlineData("has space")]
    [InlineData("slash/no")]
    [InlineData("colon:no")]
    [InlineData(".dot-first")]
    [InlineData("-dash-first")]
    [InlineData("ünïcode")]
    [InlineData("name\n")]
    public void Invalid_image_names_are_refused(string name)
    {
        var p = CommitRules.CheckImageName(name);
        Assert.NotNull(p);
        Assert.Equal("image-name-invalid", p.Rule);
        Assert.Equal("imageName", p.Field);
    }

    [Fact]
    public void Missing_name_is_required() => Assert.Equal("required", CommitRules.CheckImageName(null)!.Rule);

    [Fact]
    public void Destroy_during_a_commit_needs_force()
    {
        Assert.Equal("session-committing", CommitRules.CheckDestroy("s1", committing: true, force: false)!.Rule);
        Assert.Equal(409, CommitRules.CheckDestroy("s1", committing: true, force: false)!.Status);
        Assert.Null(CommitRules.CheckDestroy("s1", committing: true, force: true));
        Assert.Null(CommitRules.CheckDestroy("s1", committing: false, force: false));
    }

    [Fact]
    public void The_policy_limit_counts_owned_images()
    {
        Assert.Null(CommitRules.CheckLimit(5, null));
        Assert.Null(CommitRules.CheckLimit(0, 1));
        var p = CommitRules.CheckLimit(1, 1);
        Assert.Equal("customized-image-limit", p!.Rule);
        Assert.Contains("1 customized image ", p.Detail);
        Assert.Contains("berth image delete", p.Detail);
    }

    [Fact]
    public void Repository_is_lower_case_and_short()
    {
        var id = Guid.Parse("1A2B3C4D-0000-0000-0000-000000000000");
        Assert.Equal("berth/customized-1a2b3c4d", CommitRules.Repository(id));
        Assert.Equal("customized-mine1", CommitRules.CatalogName("mine1"));
    }
}
