using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;
using static Berth.Integration.Tests.Infrastructure.SessionSteps;

namespace Berth.Integration.Tests;

/// <summary>Renaming running sessions, committing one to a customized image, and deleting that image.</summary>
[Collection(BerthCollection.Name)]
public class SessionCommitTests(BerthFixture berth)
{
    [Fact]
    public async Task Rename_changes_the_name_of_a_running_session_under_the_name_rules()
    {
        var (_, cli) = await berth.NewUserAsync("rename");
        var first = BerthFixture.UniqueName("ren");
        var second = BerthFixture.UniqueName("ren");
        Succeeded(await cli.RunAsync("session", "create", "minimal", "-t", first, "--wait"));
        Succeeded(await cli.RunAsync("session", "create", "minimal", "-t", second, "--wait"));

        FailedWith(await cli.RunAsync("session", "rename", first, "ab"), "name-too-short");
        FailedWith(await cli.RunAsync("session", "rename", first, "bad name!"), "name-invalid");
        FailedWith(await cli.RunAsync("session", "rename", first, second), "session-name-taken");

        var renamed = BerthFixture.UniqueName("new");
        var json = Json(await cli.RunAsync("session", "rename", first, renamed, "--json"));
        Assert.Equal(renamed, json.GetProperty("name").GetString());
        var info = await InfoAsync(cli, renamed);
        Assert.Equal("RUNNING", info.GetProperty("status").GetString());
        Assert.Equal("ok\n", await ExecAsync(cli, renamed, "echo", "ok")); // the container is the same one
        FailedWith(await cli.RunAsync("session", "info", first), "session-not-found");

        await DestroyAsync(cli, second);
        FailedWith(await cli.RunAsync("session", "rename", second, BerthFixture.UniqueName("late")), "session-not-running");
        await DestroyAsync(cli, renamed);
    }

    [Fact]
    public async Task Commit_keeps_the_root_file_system_but_not_home_or_folders_and_only_the_owner_sees_the_image()
    {
        var (email, cli) = await berth.NewUserAsync("commit");
        var (_, other) = await berth.NewUserAsync("commit-other");
        Succeeded(await cli.RunAsync("vfolder", "create", "cdata"));
        var source = BerthFixture.UniqueName("src");
        Succeeded(await cli.RunAsync("session", "create", "minimal", "-t", source, "-m", "cdata", "--wait"));
        await ExecAsync(cli, source, "sh", "-c", "echo marked > /tmp/marker && echo w > /home/work/workfile && echo f > /home/work/cdata/folderfile");

        FailedWith(await cli.RunAsync("session", "commit", source, "abc"), "image-name-invalid");
        FailedWith(await cli.RunAsync("session", "commit", source, "no/slash"), "image-name-invalid");
        FailedWith(await other.RunAsync("session", "commit", source, "mine1"), "session-not-found");

        var imageName = "mine1";
        var image = Json(await cli.RunAsync("session", "commit", source, imageName, "--json"));
        Assert.Equal("customized-mine1", image.GetProperty("name").GetString());
        Assert.Equal(email, image.GetProperty("owner").GetString());
        var reference = image.GetProperty("reference").GetString()!;
        Assert.StartsWith("berth/customized-", reference);
        Assert.True(await TestDocker.HasImageAsync(reference));
        Assert.DoesNotContain(image.GetProperty("labels").EnumerateObject(), l => l.Name == "ai.berth.session-id");
        FailedWith(await cli.RunAsync("session", "commit", source, imageName), "image-name-taken");
        await DestroyAsync(cli, source);

        // Only the owner lists and launches it.
        Assert.Contains(Json(await cli.RunAsync("image", "list", "--json")).EnumerateArray(), i => i.GetProperty("name").GetString() == "customized-mine1");
        Assert.DoesNotContain(Json(await other.RunAsync("image", "list", "--json")).EnumerateArray(), i => i.GetProperty("name").GetString() == "customized-mine1");
        FailedWith(await other.RunAsync("session", "create", "customized-mine1", "-t", BerthFixture.UniqueName("steal")), "image-not-found");
        FailedWith(await other.RunAsync("image", "delete", "customized-mine1"), "image-not-found");
        FailedWith(await other.RunAsync("image", "delete", "minimal"), "image-not-owned");

        var copy = BerthFixture.UniqueName("copy");
        Succeeded(await cli.RunAsync("session", "create", "customized-mine1", "-t", copy, "--wait"));
        Assert.Equal("marked\n", await ExecAsync(cli, copy, "cat", "/tmp/marker"));
        Assert.Equal("absent\n", await ExecAsync(cli, copy, "sh", "-c", "test -e /home/work/workfile && echo present || echo absent"));
        Assert.Equal("absent\n", await ExecAsync(cli, copy, "sh", "-c", "test -e /home/work/cdata && echo present || echo absent"));
        Assert.Empty((await InfoAsync(cli, copy)).GetProperty("mounts").EnumerateArray());

        // The policy limit: one customized image.
        var policy = BerthFixture.UniqueName("pol");
        Succeeded(await berth.Admin.RunAsync("admin", "policy", "create", policy, "--max-customized-images", "1"));
        Succeeded(await berth.Admin.RunAsync("admin", "policy", "assign", email, policy));
        var refused = FailedWith(await cli.RunAsync("session", "commit", copy, "mine2"), "customized-image-limit");
        Assert.Contains("berth image delete", refused.Stderr);

        // Deleting: the catalog entry goes at once; the Docker image once no container uses it.
        await DestroyAsync(cli, copy);
        Succeeded(await cli.RunAsync("image", "delete", "customized-mine1"));
        Assert.DoesNotContain(Json(await cli.RunAsync("image", "list", "--json")).EnumerateArray(), i => i.GetProperty("name").GetString() == "customized-mine1");
        Assert.False(await TestDocker.HasImageAsync(reference), $"{reference} should be gone from Docker");
        FailedWith(await cli.RunAsync("session", "create", "customized-mine1"), "image-not-found");
    }

    [Fact]
    public async Task Only_running_interactive_sessions_are_committed()
    {
        var (_, cli) = await berth.NewUserAsync("commit-batch");
        var batch = BerthFixture.UniqueName("bat");
        Succeeded(await cli.RunAsync("session", "create", "minimal", "-t", batch, "--type", "batch", "-c", "sleep 120"));
        await WaitForAsync(cli, batch, "RUNNING");
        FailedWith(await cli.RunAsync("session", "commit", batch, "frombatch"), "commit-interactive-only");
        await DestroyAsync(cli, batch);

        var ended = BerthFixture.UniqueName("end");
        Succeeded(await cli.RunAsync("session", "create", "minimal", "-t", ended, "--wait"));
        await DestroyAsync(cli, ended);
        FailedWith(await cli.RunAsync("session", "commit", ended, "fromended"), "session-not-running");
    }

    [Fact]
    public async Task A_session_being_committed_is_destroyed_only_with_force()
    {
        var (_, cli) = await berth.NewUserAsync("commit-busy");
        using var client = berth.ClientFor(cli);
        var name = BerthFixture.UniqueName("busy");
        Succeeded(await cli.RunAsync("session", "create", "minimal", "-t", name, "--wait"));
        // A large layer makes the commit last seconds.
        await ExecAsync(cli, name, "sh", "-c", "head -c 1024m /dev/zero > /tmp/big");

        var containerId = (await InfoAsync(cli, name)).GetProperty("containerId").GetString()!;
        var commit = client.CommitSessionAsync(name, "bigone");
        // The agent commits with the container paused (docker commit's default), and the manager marks the commit
        // under way before it asks the agent: a paused container is the sign that the commit is running now.
        await CommitUnderWayAsync(containerId, commit);
        // Through the SDK (milliseconds) rather than the CLI (a process start), while the commit of 1 GiB goes on.
        var refused = await Assert.ThrowsAsync<Berth.Client.BerthApiException>(() => client.DestroySessionAsync(name));
        Assert.Equal("session-committing", refused.Rule);
        Succeeded(await cli.RunAsync("session", "destroy", name, "--force"));
        await WaitForAsync(cli, name, "TERMINATED");
        try
        {
            var image = await commit;
            Succeeded(await cli.RunAsync("image", "delete", image.Name)); // it finished first: clean up
        }
        catch (Berth.Client.BerthApiException) { } // the container went away under it
    }

    /// <summary>Waits, within a bound, until Docker shows the container paused by the commit; fails if the commit ended first.</summary>
    private static async Task CommitUnderWayAsync(string containerId, Task commit)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!commit.IsCompleted)
        {
            if ((await TestDocker.InspectAsync(containerId)).State?.Paused == true) return;
            try { await Task.Delay(50, deadline.Token); }
            catch (OperationCanceledException) { Assert.Fail("the container was never paused for its commit within 60 s"); }
        }
        Assert.Fail("the commit finished before it was seen under way: " + (commit.IsFaulted ? commit.Exception?.GetBaseException().Message : "done"));
    }
}
