using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;
using static Berth.Integration.Tests.Infrastructure.SessionSteps;

namespace Berth.Integration.Tests;

/// <summary>Issue 3 acceptance 3, 4 and 5: batch results, enforced limits, and mounts refused before anything is made.</summary>
[Collection(BerthCollection.Name)]
public class SessionRulesTests(BerthFixture berth)
{
    [Fact]
    public async Task Batch_session_ends_by_itself_with_its_exit_code_and_logs()
    {
        var (_, cli) = await berth.NewUserAsync("batch");
        var name = BerthFixture.UniqueName("job");
        var created = await cli.RunAsync("session", "create", "minimal", "-t", name, "--type", "batch", "-c", "echo hi; exit 3", "--wait");
        Assert.NotEqual(0, created.ExitCode); // --wait reports the failure
        var info = await InfoAsync(cli, name);
        Assert.Equal("TERMINATED", info.GetProperty("status").GetString());
        Assert.Equal(3, info.GetProperty("exitCode").GetInt32());
        Assert.Equal("failure", info.GetProperty("result").GetString());
        Assert.Equal("batch-exited", info.GetProperty("statusReason").GetString());
        var history = info.GetProperty("statusHistory").EnumerateArray().Select(h => h.GetProperty("status").GetString()).ToList();
        Assert.Equal(["PENDING", "SCHEDULED", "PREPARING", "CREATING", "RUNNING", "TERMINATING", "TERMINATED"], history);
        Assert.Contains("hi", Succeeded(await cli.RunAsync("session", "logs", name)).Stdout);

        var ok = BerthFixture.UniqueName("ok");
        Succeeded(await cli.RunAsync("session", "create", "minimal", "-t", ok, "--type", "batch", "-c", "true", "--wait"));
        Assert.Equal("success", (await InfoAsync(cli, ok)).GetProperty("result").GetString());
    }

    [Fact]
    public async Task Limits_are_enforced_as_container_limits_and_the_user_is_not_root()
    {
        var (_, cli) = await berth.NewUserAsync("limits");
        var name = BerthFixture.UniqueName("lim");
        Succeeded(await cli.RunAsync("session", "create", "minimal", "-t", name, "-r", "cpu=0.5", "-r", "mem=64m", "-r", "shmem=16m",
            "-e", "OMP_NUM_THREADS=3", "--wait"));
        var info = await InfoAsync(cli, name);
        var container = await TestDocker.InspectAsync(info.GetProperty("containerId").GetString()!);
        Assert.NotNull(container.HostConfig);
        Assert.Equal(500_000_000, container.HostConfig.NanoCPUs);
        Assert.Equal(64L * 1024 * 1024, container.HostConfig.Memory);
        Assert.Equal(16L * 1024 * 1024, container.HostConfig.ShmSize);
        Assert.True(container.HostConfig.PidsLimit > 0);
        Assert.False(container.HostConfig.Privileged);
        Assert.Contains("ALL", container.HostConfig.CapDrop);
        Assert.Equal("1000:1000", container.Config!.User);
        Assert.Equal("1000\n", await ExecAsync(cli, name, "id", "-u"));
        var env = await ExecAsync(cli, name, "env");
        Assert.Contains("OMP_NUM_THREADS=3", env);         // the user's value wins
        Assert.Contains("OPENBLAS_NUM_THREADS=1", env);    // HPC defaults follow the CPU count

        // Going over the memory limit gets the process killed, and the session says so.
        var hog = await cli.RunAsync("session", "exec", name, "--", "sh", "-c", "head -c 300m /dev/zero | tail");
        Assert.Equal(137, hog.ExitCode);
        var warned = false;
        for (var i = 0; i < 50 && !warned; i++)
        {
            warned = (await InfoAsync(cli, name)).GetProperty("warnings").EnumerateArray().Any(w => w.GetString()!.Contains("memory limit"));
            if (!warned) await Task.Delay(200);
        }
        Assert.True(warned, "the session should warn that a process hit its memory limit");
        await DestroyAsync(cli, name);

        var batch = BerthFixture.UniqueName("oom");
        await cli.RunAsync("session", "create", "minimal", "-t", batch, "--type", "batch", "-r", "mem=32m", "-c", "head -c 300m /dev/zero | tail", "--wait");
        var ended = await WaitForAsync(cli, batch, "TERMINATED");
        Assert.StartsWith("oom-killed", ended.GetProperty("statusReason").GetString());
        Assert.Equal(137, ended.GetProperty("exitCode").GetInt32());
    }

    [Fact]
    public async Task Invalid_mounts_are_refused_with_their_rule_and_nothing_is_made()
    {
        var (ownerEmail, owner) = await berth.NewUserAsync("mnt-owner");
        var (userEmail, user) = await berth.NewUserAsync("mnt-user");
        Succeeded(await owner.RunAsync("vfolder", "create", "others"));
        Succeeded(await owner.RunAsync("vfolder", "create", "shared-ro"));
        Succeeded(await owner.RunAsync("vfolder", "share", "shared-ro", userEmail, "--permission", "ro"));
        Succeeded(await user.RunAsync("vfolder", "create", "data"));
        Succeeded(await user.RunAsync("vfolder", "create", "more"));
        Succeeded(await user.RunAsync("vfolder", "create", "trashed"));
        Succeeded(await user.RunAsync("vfolder", "delete", "trashed"));
        _ = ownerEmail;

        var containersBefore = (await TestDocker.ContainersOfAgentAsync(berth.Server.AgentId)).Count;
        var scratch = Path.Combine(berth.Server.DataDirectory, "scratch");
        var scratchBefore = Directory.Exists(scratch) ? Directory.GetDirectories(scratch).Length : 0;

        (string[] Mounts, string Rule)[] cases =
        [
            (["others"], "folder-not-found"),
            (["trashed"], "folder-not-mountable"),
            (["data=/home/work"], "mount-path-reserved"),
            (["data=/etc"], "mount-path-reserved"),
            (["data=/usr/lib/x"], "mount-path-reserved"),
            (["data=/proc"], "mount-path-reserved"),
            (["data=/tmp"], "mount-path-reserved"),
            (["data=/root"], "mount-path-reserved"),
            (["data=/srv/a", "more=/srv/a"], "mount-path-duplicate"),
            (["data=/srv/a", "more=/srv/a/b"], "mount-path-overlap"),
            (["data=../escape"], "mount-path-dotdot"),
            (["data=sub/../../x"], "mount-path-dotdot"),
            (["shared-ro:rw"], "mount-permission-denied"),
        ];
        foreach (var (mounts, rule) in cases)
        {
            var args = new List<string> { "session", "create", "minimal", "-t", BerthFixture.UniqueName("bad") };
            foreach (var m in mounts) args.AddRange(["-m", m]);
            FailedWith(await user.RunAsync([.. args]), rule);
        }
        Assert.Empty(Json(await user.RunAsync("session", "list", "--all", "--json")).EnumerateArray());
        Assert.Equal(containersBefore, (await TestDocker.ContainersOfAgentAsync(berth.Server.AgentId)).Count);
        Assert.Equal(scratchBefore, Directory.Exists(scratch) ? Directory.GetDirectories(scratch).Length : 0);

        // The same folder read-only is fine, and wd on one's own folder mounts read-write.
        var fine = BerthFixture.UniqueName("fine");
        Succeeded(await user.RunAsync("session", "create", "minimal", "-t", fine, "-m", "shared-ro:ro", "-m", "data=work/data:wd", "--wait"));
        var container = await TestDocker.InspectAsync((await InfoAsync(user, fine)).GetProperty("containerId").GetString()!);
        Assert.Contains(container.Mounts, m => m.Destination == "/home/work/shared-ro" && !m.RW);
        Assert.Contains(container.Mounts, m => m.Destination == "/home/work/work/data" && m.RW);
        await DestroyAsync(user, fine);
    }
}
