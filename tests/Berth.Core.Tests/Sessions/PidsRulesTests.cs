using Berth.Core.Sessions;

namespace Berth.Core.Tests.Sessions;

public class PidsRulesTests
{
    private const long GiB = 1L << 30;

    [Fact]
    public void A_session_gets_its_memory_share_of_half_the_pid_table()
    {
        // 32768 pids, 24 GiB node: a 1 GiB session gets 1/24 of 16384.
        Assert.Equal(682, PidsRules.ForSession(32768, 24 * GiB, GiB));
        Assert.Equal(2730, PidsRules.ForSession(32768, 24 * GiB, 4 * GiB));
    }

    [Fact]
    public void Sessions_filling_the_node_never_take_more_than_half_the_pid_table()
    {
        foreach (var (pidMax, node, session) in new[] { (32768L, 24 * GiB, GiB), (32768L, 8 * GiB, 512L << 20), (4194304L, 512 * GiB, 2 * GiB) })
        {
            var count = node / session;
            Assert.True(count * PidsRules.ForSession(pidMax, node, session) <= pidMax / 2, $"{count} sessions on pid_max {pidMax}");
        }
    }

    [Fact]
    public void Large_hosts_are_capped_at_the_manager_ceiling()
    {
        Assert.Equal(ResourceRules.PidsLimit, PidsRules.ForSession(4194304, 64 * GiB, 8 * GiB));
        Assert.Equal(1000, PidsRules.ForSession(4194304, 64 * GiB, 8 * GiB, ceiling: 1000));
    }

    [Fact]
    public void Tiny_sessions_still_get_the_floor()
    {
        Assert.Equal(PidsRules.Floor, PidsRules.ForSession(32768, 24 * GiB, 16L << 20));
        // ...unless the manager's ceiling is lower still.
        Assert.Equal(10, PidsRules.ForSession(32768, 24 * GiB, 16L << 20, ceiling: 10));
    }

    [Fact]
    public void A_session_larger_than_the_declared_node_gets_at_most_half_the_table()
    {
        Assert.Equal(16384 > ResourceRules.PidsLimit ? ResourceRules.PidsLimit : 16384, PidsRules.ForSession(32768, GiB, 2 * GiB));
        Assert.Equal(1024, PidsRules.ForSession(2048, GiB, 2 * GiB));
    }

    [Theory]
    [InlineData(0, 24L << 30, 1L << 30, 682)] // unreadable pid_max: Linux's default
    [InlineData(32768, 0, 1L << 30, PidsRules.Floor)] // unknown node memory: the floor, never unlimited
    [InlineData(32768, 24L << 30, 0, PidsRules.Floor)]
    public void Unknown_inputs_fall_back_to_safe_values(long pidMax, long node, long session, long expected) =>
        Assert.Equal(expected, PidsRules.ForSession(pidMax, node, session));
}
