using Berth.Core.VFolders;

namespace Berth.Core.Tests;

public class VFolderNameRulesTests
{
    [Theory]
    [InlineData("user2-vfolder")]
    [InlineData("user1-ml-test")]
    [InlineData(".local")]
    [InlineData(".linuxbrew")]
    [InlineData(".config")]
    [InlineData("a")]
    [InlineData("Data_2024.v1")]
    [InlineData("bin2")]
    [InlineData(".rcfiles.d")]
    public void Accepts_ordinary_names(string name) => Assert.Null(VFolderNameRules.Check(name));

    [Theory]
    [InlineData("", "required")]
    [InlineData(null, "required")]
    [InlineData("has space", "name-invalid")]
    [InlineData("slash/inside", "name-invalid")]
    [InlineData("ünïcode", "name-invalid")]
    [InlineData("data\n", "name-invalid")]
    [InlineData(".terminfo", "name-reserved")]
    [InlineData(".jupyter", "name-reserved")]
    [InlineData(".tmux.conf", "name-reserved")]
    [InlineData(".ssh", "name-reserved")]
    [InlineData(".bashrc", "name-reserved")]
    [InlineData(".zshrc", "name-reserved")]
    [InlineData(".vimrc", "name-reserved")]
    [InlineData(".bash_profile", "name-reserved")]
    [InlineData(".profile", "name-reserved")]
    [InlineData("bin", "name-reserved")]
    [InlineData("etc", "name-reserved")]
    [InlineData("home", "name-reserved")]
    [InlineData("tmp", "name-reserved")]
    [InlineData("usr", "name-reserved")]
    [InlineData("var", "name-reserved")]
    [InlineData("proc", "name-reserved")]
    [InlineData("sys", "name-reserved")]
    [InlineData("dev", "name-reserved")]
    [InlineData(".", "name-reserved")]
    [InlineData("..", "name-reserved")]
    public void Refuses_bad_and_reserved_names(string? name, string rule)
    {
        var problem = VFolderNameRules.Check(name);
        Assert.NotNull(problem);
        Assert.Equal(rule, problem.Rule);
        Assert.Equal("name", problem.Field);
        Assert.Equal(400, problem.Status);
    }

    [Fact]
    public void Length_limit_is_64()
    {
        Assert.Null(VFolderNameRules.Check(new string('a', 64)));
        Assert.Equal("name-too-long", VFolderNameRules.Check(new string('a', 65))!.Rule);
    }

    [Theory]
    [InlineData(".config", VFolderOwnership.Project, "automount-user-only")]
    [InlineData(".linuxbrew", VFolderOwnership.Project, "automount-user-only")]
    [InlineData(".local", VFolderOwnership.Project, null)]
    [InlineData(".config", VFolderOwnership.User, null)]
    [InlineData("shared-data", VFolderOwnership.Project, null)]
    public void Dot_folders_belong_to_users_except_local(string name, VFolderOwnership ownership, string? rule) =>
        Assert.Equal(rule, VFolderNameRules.CheckOwnership(name, ownership)?.Rule);

    [Theory]
    [InlineData(".local", true)]
    [InlineData("local", false)]
    public void Dot_prefix_means_auto_mount(string name, bool expected) => Assert.Equal(expected, VFolderNameRules.IsAutoMount(name));
}
