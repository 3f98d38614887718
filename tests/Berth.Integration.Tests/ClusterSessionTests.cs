using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;
using static Berth.Integration.Tests.Infrastructure.SessionSteps;

namespace Berth.Integration.Tests;

/// <summary>Issue 4 acceptance 7: a single-node cluster whose containers reach each other by hostname.</summary>
[Collection(BerthCollection.Name)]
public class ClusterSessionTests(BerthFixture berth)
{
    [Fact]
    public async Task Main1_reaches_sub1_and_sub2_by_hostname()
    {
        var (_, cli) = await berth.NewUserAsync("cluster");
        var name = BerthFixture.UniqueName("clu");
        Succeeded(await cli.RunAsync("session", "create", "minimal", "-t", name, "--cluster-size", "3", "--wait"));
        var info = await InfoAsync(cli, name);
        Assert.Equal(3, info.GetProperty("clusterSize").GetInt32());
        Assert.Contains("BERTH_CLUSTER_HOSTS=main1,sub1,sub2", await ExecAsync(cli, name, "env"));

        foreach (var sub in new[] { "sub1", "sub2" })
        {
            // Each sub serves its own name over HTTP; main1 fetches it by hostname across the private network.
            Succeeded(await cli.RunAsync("session", "exec", name, "--kernel", sub, "--", "sh", "-c",
                $"mkdir -p /tmp/www && echo {sub}-here > /tmp/www/index.html && httpd -p 8080 -h /tmp/www"));
            var fetched = "";
            for (var i = 0; i < 20 && !fetched.Contains($"{sub}-here"); i++)
            {
                fetched = (await cli.RunAsync("session", "exec", name, "--", "wget", "-qO-", $"http://{sub}:8080/")).Stdout;
                if (!fetched.Contains($"{sub}-here")) await Task.Delay(200);
            }
            Assert.Contains($"{sub}-here", fetched);
        }
        Assert.Equal(3, (await TestDocker.ContainersOfAgentAsync(berth.Server.AgentId)).Count(c => c.Labels["ai.berth.session-name"] == name));

        FailedWith(await cli.RunAsync("session", "exec", name, "--kernel", "sub9", "--", "true"), "kernel-not-found");
        FailedWith(await cli.RunAsync("session", "create", "minimal", "--cluster-size", "2", "--cluster-mode", "multi-node"), "cluster-mode-unsupported");
        await DestroyAsync(cli, name);
        Assert.DoesNotContain(await TestDocker.ContainersOfAgentAsync(berth.Server.AgentId), c => c.Labels["ai.berth.session-name"] == name);
    }
}
