using Berth.Core.Scheduling;
using static Berth.Core.Tests.Scheduling.Fx;

namespace Berth.Core.Tests.Scheduling;

public class AgentSelectorTests
{
    private static readonly AgentState[] Three =
    [
        Agent("agent-a", "cpu=8 mem=16g", occupied: "cpu=6 mem=4g"),  // after cpu=1: 7/8 busy
        Agent("agent-b", "cpu=8 mem=16g", occupied: "cpu=2 mem=2g"),  // after: 3/8
        Agent("agent-c", "cpu=8 mem=16g", occupied: "cpu=4 mem=12g"), // after: mem 13/16
    ];

    private static string? Pick(PendingSession s, IReadOnlyList<AgentState> agents, AgentSelection how, string? last = null)
    {
        var chosen = AgentSelector.Select(s, agents, how, last, out string? why);
        Assert.True(chosen is null == why is not null);
        return chosen?.Id;
    }

    private static string Why(PendingSession s, IReadOnlyList<AgentState> agents, out PredicateFailure failure)
    {
        Assert.Null(AgentSelector.Select(s, agents, AgentSelection.Dispersed, null, out PredicateFailure? f));
        failure = f!;
        Assert.Null(AgentSelector.Select(s, agents, AgentSelection.Dispersed, null, out string? why));
        Assert.Equal(failure.Message, why);
        return why!;
    }

    [Fact]
    public void Dispersed_takes_the_agent_left_with_the_most_room()
    {
        Assert.Equal("agent-b", Pick(Session(1), Three, AgentSelection.Dispersed));
    }

    [Fact]
    public void Concentrated_takes_the_fullest_agent_that_still_fits()
    {
        Assert.Equal("agent-a", Pick(Session(1), Three, AgentSelection.Concentrated));
        // agent-a cannot hold cpu=3; of the rest, agent-c ends fuller (cpu 7/8) than agent-b (5/8).
        Assert.Equal("agent-c", Pick(Session(1, req: "cpu=3 mem=1g"), Three, AgentSelection.Concentrated));
    }

    [Fact]
    public void Dispersed_judges_room_relative_to_each_agents_size()
    {
        AgentState[] agents = [Agent("small", "cpu=4 mem=8g"), Agent("big", "cpu=64 mem=256g", occupied: "cpu=2 mem=8g")];
        Assert.Equal("big", Pick(Session(1, req: "cpu=2 mem=2g"), agents, AgentSelection.Dispersed));
        Assert.Equal("small", Pick(Session(1, req: "cpu=2 mem=2g"), agents, AgentSelection.Concentrated));
    }

    [Fact]
    public void Only_the_slots_the_session_asks_for_decide_the_spread()
    {
        // gpu-box has its GPUs busy but its CPUs idle; a CPU-only session does not mind the GPUs.
        AgentState[] agents = [Agent("cpu-box", "cpu=8 mem=32g", occupied: "cpu=4"), Agent("gpu-box", "cpu=8 mem=32g cuda.device=4", occupied: "cuda.device=4")];
        Assert.Equal("gpu-box", Pick(Session(1, req: "cpu=1"), agents, AgentSelection.Dispersed));
    }

    [Fact]
    public void Ties_go_by_agent_id()
    {
        AgentState[] agents = [Agent("n2", "cpu=4"), Agent("n1", "cpu=4"), Agent("n3", "cpu=4")];
        Assert.Equal("n1", Pick(Session(1, req: "cpu=1"), agents, AgentSelection.Dispersed));
        Assert.Equal("n1", Pick(Session(1, req: "cpu=1"), agents, AgentSelection.Concentrated));
    }

    [Fact]
    public void Round_robin_takes_the_next_id_after_the_last_and_wraps()
    {
        var s = Session(1);
        Assert.Equal("agent-a", Pick(s, Three, AgentSelection.RoundRobin, last: null));
        Assert.Equal("agent-b", Pick(s, Three, AgentSelection.RoundRobin, last: "agent-a"));
        Assert.Equal("agent-c", Pick(s, Three, AgentSelection.RoundRobin, last: "agent-b"));
        Assert.Equal("agent-a", Pick(s, Three, AgentSelection.RoundRobin, last: "agent-c"));
        Assert.Equal("agent-b", Pick(s, Three, AgentSelection.RoundRobin, last: "agent-aa")); // last one gone: next in order
        Assert.Equal("agent-a", Pick(s, Three, AgentSelection.RoundRobin, last: "zzz"));
    }

    [Fact]
    public void Round_robin_skips_agents_without_room()
    {
        // cpu=3 fits only agent-b and agent-c
        Assert.Equal("agent-b", Pick(Session(1, req: "cpu=3"), Three, AgentSelection.RoundRobin, last: "agent-a"));
        Assert.Equal("agent-b", Pick(Session(1, req: "cpu=3"), Three, AgentSelection.RoundRobin, last: "agent-c"));
        // cpu=5 fits only agent-b: it comes round again even right after itself
        Assert.Equal("agent-b", Pick(Session(1, req: "cpu=5"), Three, AgentSelection.RoundRobin, last: "agent-b"));
    }

    [Fact]
    public void Unschedulable_agents_and_other_architectures_are_never_chosen()
    {
        AgentState[] agents =
        [
            Agent("lost", "cpu=64 mem=256g", schedulable: false),
            Agent("arm", "cpu=32 mem=128g", arch: "aarch64"),
            Agent("x86", "cpu=4 mem=8g"),
        ];
        foreach (var how in Enum.GetValues<AgentSelection>())
            Assert.Equal("x86", Pick(Session(1, arch: "x86_64"), agents, how));
        Assert.Equal("arm", Pick(Session(1, arch: "AARCH64"), agents, AgentSelection.Dispersed));
        Assert.Equal("arm", Pick(Session(1), agents, AgentSelection.Dispersed)); // any architecture: most room
    }

    [Fact]
    public void No_room_names_the_agent_with_the_largest_free_share()
    {
        AgentState[] agents = [Agent("agent-a", "cpu=4 mem=8g", occupied: "cpu=4 mem=1g"), Agent("agent-b", "cpu=4 mem=8g", occupied: "cpu=3 mem=6g")];
        var why = Why(Session(1, req: "cpu=2 mem=4g"), agents, out var f);
        Assert.Equal("no agent has room: the largest free is cpu=1 mem=2g on agent-b", why);
        Assert.Equal((PredicateNames.AgentRoom, false), (f.Name, f.Permanent));
    }

    [Fact]
    public void No_live_agents()
    {
        AgentState[] agents = [Agent("a", "cpu=4", schedulable: false), Agent("b", "cpu=4", schedulable: false)];
        Assert.Equal("no agent is available: all 2 are lost or not accepting sessions", Why(Session(1, req: "cpu=1"), agents, out _));
        Assert.Equal("there is no agent in this resource group", Why(Session(1, req: "cpu=1"), [], out _));
        Assert.Equal("no agent in this resource group runs the riscv64 architecture the session's image needs",
            Why(Session(1, req: "cpu=1", arch: "riscv64"), [Agent("a", "cpu=4")], out _));
    }

    [Fact]
    public void A_pinned_session_goes_to_its_agent_or_nowhere()
    {
        foreach (var how in Enum.GetValues<AgentSelection>())
            Assert.Equal("agent-a", Pick(Session(1, pinned: "agent-a"), Three, how, last: "agent-a"));

        Assert.Equal("the pinned agent agent-a has no room: it has cpu=2 mem=12g free",
            Why(Session(1, req: "cpu=3 mem=1g", pinned: "agent-a"), Three, out var room));
        Assert.Equal((PredicateNames.AgentRoom, false), (room.Name, room.Permanent));

        Assert.Equal("the pinned agent x is not available: there is no such agent in this resource group",
            Why(Session(1, pinned: "x"), Three, out var missing));
        Assert.Equal(PredicateNames.PinnedAgent, missing.Name);

        AgentState[] lost = [Agent("x", "cpu=8 mem=16g", schedulable: false), .. Three];
        Assert.Equal("the pinned agent x is not available: it is lost or not accepting sessions", Why(Session(1, pinned: "x"), lost, out _));

        var tooBig = Why(Session(1, req: "cpu=9", pinned: "agent-b"), Three, out var never);
        Assert.Equal("asks for cpu=9 but the pinned agent has cpu=8", tooBig);
        Assert.Equal((PredicateNames.NeverFits, true), (never.Name, never.Permanent));
    }

    [Fact]
    public void Never_fits_when_the_request_exceeds_every_agents_total()
    {
        AgentState[] agents = [Agent("a", "cpu=16 mem=64g", occupied: "cpu=16 mem=64g"), Agent("b", "cpu=8 mem=128g cuda.device=2")];
        Assert.True(AgentSelector.EverFits(S("cpu=16 mem=64g"), agents)); // a is full now, but not forever
        Assert.True(AgentSelector.EverFits(S("cpu=8 cuda.device=2"), agents));

        Assert.False(AgentSelector.EverFits(S("cpu=64 mem=1g"), agents, out var why));
        Assert.Equal("asks for cpu=64 but the largest agent has cpu=16", why);

        Assert.False(AgentSelector.EverFits(S("cpu=1 tpu=1"), agents, out why));
        Assert.Equal("asks for tpu=1 but no agent has any tpu", why);

        Assert.False(AgentSelector.EverFits(S("cpu=12 cuda.device=1"), agents, out why));
        Assert.Equal("asks for cpu=12 cuda.device=1 but no single agent has all of it (the closest, b, has cpu=8 cuda.device=2 in all)", why);

        Assert.False(AgentSelector.EverFits(S("cpu=1"), [], out why));
        Assert.Equal("asks for cpu=1 but there is no agent in this resource group", why);
    }

    [Fact]
    public void Select_reports_never_fits_as_permanent()
    {
        AgentState[] agents = [Agent("a", "cpu=16 mem=64g")];
        Assert.Equal("asks for cpu=64 but the largest agent has cpu=16", Why(Session(1, req: "cpu=64"), agents, out var f));
        Assert.True(f.Permanent);
    }
}
