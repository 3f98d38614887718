using Berth.Integration.Tests.Infrastructure;
using static Berth.Integration.Tests.Infrastructure.CliAssert;
using static Berth.Integration.Tests.Infrastructure.SessionSteps;

namespace Berth.Integration.Tests;

/// <summary>A session's containers through the API and the CLI: the kernel list, each kernel's logs, live usage.</summary>
[Collection(BerthCollection.Name)]
public class SessionKernelApiTests(BerthFixture berth)
{
    [Fact]
    public async Task Each_kernel_of_a_cluster_has_its_own_logs_and_the_session_streams_its_usage()
    {
        var (_, cli) = await berth.NewUserAsync("kernels");
        using var api = berth.ClientFor(cli);
        var name = BerthFixture.UniqueName("ker");
        // Only the main container of a batch session runs its command: its output tells the two kernels' logs apart.
        Succeeded(await cli.RunAsync("session", "create", "minimal", "-t", name, "--type", "batch", "--cluster-size", "2",
            "-c", "echo hello-from-$(hostname); exec sleep 3600"));
        await WaitForAsync(cli, name, "RUNNING");
        try
        {
            var session = await api.GetSessionAsync(name);
            Assert.Equal(["main1", "sub1"], session.Kernels!.Select(k => k.Name));
            Assert.All(session.Kernels!, k => Assert.Equal("running", k.State));

            Assert.Contains("hello-from-main1", Succeeded(await cli.RunAsync("session", "logs", name)).Stdout);
            Assert.DoesNotContain("hello-from", Succeeded(await cli.RunAsync("session", "logs", name, "--kernel", "sub1")).Stdout);
            FailedWith(await cli.RunAsync("session", "logs", name, "--kernel", "sub9"), "kernel-not-found");

            // The agent measures every few seconds and needs two readings for a CPU figure: wait for it on the stream, bounded.
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            Berth.Core.Contracts.SessionUsageDto? measured = null;
            await foreach (var usage in api.WatchSessionUsageAsync(name, bound.Token))
            {
                if (usage.CpuPercent is null || usage.Kernels.Count < 2) continue;
                measured = usage;
                break;
            }
            Assert.NotNull(measured);
            Assert.InRange(measured.CpuPercent!.Value, 0, 100);
            Assert.True(measured.MemBytes > 0, "memory in bytes");
            Assert.NotNull(measured.NetRxBytes);
            Assert.Equal(["main1", "sub1"], measured.Kernels.Select(k => k.Kernel));
            Assert.NotNull((await api.GetSessionUsageAsync(name)).At);
        }
        finally
        {
            await DestroyAsync(cli, name);
        }
    }
}
