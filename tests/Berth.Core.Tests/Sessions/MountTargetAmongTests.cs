using Berth.Core.Sessions;

namespace Berth.Core.Tests.Sessions;

/// <summary>The one target-and-overlap rule that the API's mount resolution and the console's launcher share.</summary>
public class MountTargetAmongTests
{
    [Fact]
    public void Free_target_is_normalised_and_accepted()
    {
        Assert.Null(MountRules.ResolveTargetAmong(1, "b", "data//x/", [new MountTarget("a", "/home/work/a")], out var target));
        Assert.Equal("/home/work/data/x", target);
    }

    [Theory]
    [InlineData("/home/work/a", "mount-path-duplicate", "already the mount point of 'a'")]
    [InlineData("/home/work/a/inner", "mount-path-overlap", "overlaps /home/work/a, where 'a' is mounted")]
    [InlineData("/home/work", "mount-path-reserved", "home directory itself")]
    public void Taken_overlapping_or_reserved_targets_are_refused_under_the_mounts_own_field(string path, string rule, string detail)
    {
        var p = MountRules.ResolveTargetAmong(2, "b", path, [new MountTarget("a", "/home/work/a")], out _);
        Assert.NotNull(p);
        Assert.Equal((rule, "mounts[2].path"), (p.Rule, p.Field));
        Assert.Contains(detail, p.Detail);
    }

    [Fact]
    public void Same_answer_as_the_api_resolution_for_the_same_mounts()
    {
        var a = new FolderCandidate(Guid.NewGuid(), "a", "local:v", Berth.Core.VFolders.VFolderPermission.ReadWrite, Berth.Core.VFolders.VFolderStatus.Ready);
        var b = a with { Id = Guid.NewGuid(), Name = "b" };
        var api = MountRules.Resolve(
            [(new Berth.Core.Contracts.MountRequestDto("a", "/data"), a), (new Berth.Core.Contracts.MountRequestDto("b", "/data/b"), b)], [], out _);
        var shared = MountRules.ResolveTargetAmong(1, "b", "/data/b", [new MountTarget("a", "/data")], out _);
        Assert.Equal(api, shared);
    }
}
