using Berth.Core.VFolders;

namespace Berth.Core.Tests;

public class VFolderLifecycleTests
{
    public static TheoryData<VFolderStatus, VFolderAction, bool> Cases()
    {
        var data = new TheoryData<VFolderStatus, VFolderAction, bool>();
        foreach (var status in Enum.GetValues<VFolderStatus>())
        foreach (var action in Enum.GetValues<VFolderAction>())
        {
            var allowed = action switch
            {
                VFolderAction.Recover or VFolderAction.Purge => status == VFolderStatus.DeletePending,
                VFolderAction.Delete => status is VFolderStatus.Ready or VFolderStatus.Error,
                _ => status == VFolderStatus.Ready,
            };
            data.Add(status, action, allowed);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Each_status_allows_exactly_its_actions(VFolderStatus status, VFolderAction action, bool allowed)
    {
        var problem = VFolderLifecycle.Check(status, action, "f");
        Assert.Equal(allowed, problem is null);
        if (problem is not null)
        {
            Assert.Equal(409, problem.Status);
            Assert.Equal("folder-status", problem.Rule);
        }
    }

    [Theory]
    [InlineData(VFolderPermission.ReadOnly, VFolderPermission.ReadWriteDelete, VFolderPermission.ReadOnly)]
    [InlineData(VFolderPermission.ReadWriteDelete, VFolderPermission.ReadWrite, VFolderPermission.ReadWrite)]
    public void Grants_only_narrow(VFolderPermission a, VFolderPermission b, VFolderPermission expected) =>
        Assert.Equal(expected, VFolderWire.Narrowest(a, b));

    [Theory]
    [InlineData("ro", VFolderPermission.ReadOnly, false, false)]
    [InlineData("rw", VFolderPermission.ReadWrite, true, false)]
    [InlineData("wd", VFolderPermission.ReadWriteDelete, true, true)]
    public void Permissions_parse_and_allow(string wire, VFolderPermission expected, bool write, bool delete)
    {
        Assert.True(VFolderWire.TryParsePermission(wire, out var p));
        Assert.Equal(expected, p);
        Assert.Equal(wire, p.ToWire());
        Assert.Equal(write, p.AllowsWrite());
        Assert.Equal(delete, p.AllowsDelete());
    }

    [Fact]
    public void Unknown_permission_is_refused() => Assert.False(VFolderWire.TryParsePermission("rwx", out _));
}
