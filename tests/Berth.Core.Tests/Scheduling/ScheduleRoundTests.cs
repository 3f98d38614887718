using Berth.Core.Scheduling;
using Berth.Core.Sessions;
using static Berth.Core.Tests.Scheduling.Fx;

namespace Berth.Core.Tests.Scheduling;

public class ScheduleRoundTests
{
    private static readonly Dictionary<Guid, UserUsage> NoUsage = [];
    private static readonly Dictionary<Guid, UserPolicy> NoPolicies = [];

    private static GroupRules Rules(QueueOrder order = QueueOrder.Fifo, AgentSelection selection = AgentSelection.Dispersed) =>
        GroupRules.Default with { Order = order, Selection = selection };

    private static RoundPlan Plan(IReadOnlyList<PendingSession> pending, IReadOnlyList<AgentState> agents, GroupRules? rules = null,
        Dictionary<Guid, UserUsage>? usage = null, Dictionary<Guid, UserPolicy>? policies = null, string? last = null) =>
        ScheduleRound.Plan(pending, usage ?? NoUsage, policies ?? NoPolicies, rules ?? Rules(), agents, T0, last);

    private static string Placed(RoundPlan plan) =>
        string.Join(" ", plan.Placements.Select(p => $"{IdOf(p.SessionId)}@{p.AgentId}"));

    private static int IdOf(Guid id) => BitConverter.ToInt32(id.ToByteArray(), 0);

    [Fact]
    public void Places_exactly_what_fits_in_queue_order_and_the_rest_keep_their_positions()
    {
        var pending = Enumerable.Range(1, 6).Select(i => Session(i, owner: i, req: "cpu=1 mem=1g", createdSec: i)).ToList();
        var plan = Plan(pending, [Agent("a", "cpu=4 mem=16g", occupied: "cpu=1")]);
        Assert.Equal("1@a 2@a 3@a", Placed(plan));
        Assert.Equal([(4, 4), (5, 5), (6, 6)], plan.Waiting.Select(w => (IdOf(w.SessionId), w.QueuePosition)));
        Assert.All(plan.Waiting, w =>
        {
            var r = Assert.Single(w.Reasons);
            Assert.Equal(PredicateNames.AgentRoom, r.Name);
            Assert.Equal("no agent has room: the largest free is cpu=0 mem=13g on a", r.Message);
            Assert.False(w.Permanent);
        });
    }

    [Fact]
    public void A_big_session_at_the_head_does_not_block_smaller_ones_behind_it()
    {
        var plan = Plan([Session(1, req: "cpu=8", createdSec: 0), Session(2, req: "cpu=2", createdSec: 1)], [Agent("a", "cpu=8", occupied: "cpu=4")]);
        Assert.Equal("2@a", Placed(plan));
        Assert.Equal(1, Assert.Single(plan.Waiting).QueuePosition);
    }

    [Fact]
    public void Dispersed_spreads_within_one_round_and_concentrated_packs()
    {
        AgentState[] agents = [Agent("a", "cpu=4 mem=8g"), Agent("b", "cpu=4 mem=8g")];
        PendingSession[] pending = [Session(1, createdSec: 1), Session(2, createdSec: 2), Session(3, createdSec: 3)];
        Assert.Equal("1@a 2@b 3@a", Placed(Plan(pending, agents, Rules(selection: AgentSelection.Dispersed))));
        Assert.Equal("1@a 2@a 3@a", Placed(Plan(pending, agents, Rules(selection: AgentSelection.Concentrated))));
    }

    [Fact]
    public void Round_robin_continues_from_the_last_agent_and_reports_where_it_stopped()
    {
        AgentState[] agents = [Agent("a", "cpu=4"), Agent("b", "cpu=4"), Agent("c", "cpu=4")];
        PendingSession[] pending = [Session(1, req: "cpu=1", createdSec: 1), Session(2, req: "cpu=1", createdSec: 2), Session(3, req: "cpu=1", createdSec: 3), Session(4, req: "cpu=1", createdSec: 4)];
        var plan = Plan(pending, agents, Rules(selection: AgentSelection.RoundRobin), last: "a");
        Assert.Equal("1@b 2@c 3@a 4@b", Placed(plan));
        Assert.Equal("b", plan.LastRoundRobinAgentId);
        Assert.Equal("a", Plan([], agents, Rules(selection: AgentSelection.RoundRobin), last: "a").LastRoundRobinAgentId);
    }

    [Fact]
    public void Drf_gives_the_only_room_to_the_light_user()
    {
        var usage = new Dictionary<Guid, UserUsage> { [G(1)] = Usage(1, live: 3, occupied: "cpu=6"), [G(2)] = Usage(2, live: 1, occupied: "cpu=1") };
        AgentState[] agents = [Agent("a", "cpu=8", occupied: "cpu=7"), Agent("b", "cpu=2", occupied: "cpu=0")];
        PendingSession[] pending = [Session(1, owner: 1, req: "cpu=2", createdSec: 0), Session(2, owner: 2, req: "cpu=2", createdSec: 9)];
        Assert.Equal("2@b", Placed(Plan(pending, agents, Rules(order: QueueOrder.Drf), usage)));
        Assert.Equal("1@b", Placed(Plan(pending, agents, Rules(order: QueueOrder.Fifo), usage)));
        var waiting = Assert.Single(Plan(pending, agents, Rules(order: QueueOrder.Drf), usage).Waiting);
        Assert.Equal((1, 2), (IdOf(waiting.SessionId), waiting.QueuePosition));
    }

    [Fact]
    public void Concurrency_limit_holds_across_sessions_placed_in_the_same_round()
    {
        var policies = new Dictionary<Guid, UserPolicy> { [G(1)] = UserPolicy.Unlimited with { MaxConcurrentSessions = 2 } };
        var usage = new Dictionary<Guid, UserUsage> { [G(1)] = Usage(1, live: 1, pending: 3) };
        PendingSession[] pending = [Session(1, createdSec: 1), Session(2, createdSec: 2), Session(3, createdSec: 3), Session(4, owner: 2, createdSec: 4)];
        var plan = Plan(pending, [Agent("a", "cpu=64 mem=64g")], usage: usage, policies: policies);
        Assert.Equal("1@a 4@a", Placed(plan));
        Assert.Equal(["you already run 2 of the 2 sessions your policy allows"], plan.Waiting.SelectMany(w => w.Reasons).Select(r => r.Message).Distinct());
        Assert.Equal([2, 3], plan.Waiting.Select(w => w.QueuePosition));
    }

    [Fact]
    public void Slot_limit_holds_across_sessions_placed_in_the_same_round()
    {
        var policies = new Dictionary<Guid, UserPolicy> { [G(1)] = UserPolicy.Unlimited with { MaxTotalSlots = S("cpu=4") } };
        var usage = new Dictionary<Guid, UserUsage> { [G(1)] = Usage(1, live: 1, occupied: "cpu=1 mem=1g") };
        PendingSession[] pending = [Session(1, req: "cpu=2", createdSec: 1), Session(2, req: "cpu=2", createdSec: 2), Session(3, req: "cpu=1", createdSec: 3)];
        var plan = Plan(pending, [Agent("a", "cpu=64 mem=64g")], usage: usage, policies: policies);
        Assert.Equal("1@a 3@a", Placed(plan));
        var w = Assert.Single(plan.Waiting);
        Assert.Equal("it would bring your usage to cpu=5, over your policy's cpu=4 (too much cpu)", Assert.Single(w.Reasons).Message);
    }

    [Fact]
    public void A_session_that_fails_a_rule_is_also_told_when_it_can_never_fit()
    {
        var pending = Session(1, req: "cpu=64", type: SessionType.Batch, startsAt: T0.AddMinutes(2));
        var plan = Plan([pending], [Agent("a", "cpu=16 mem=64g")]);
        var w = Assert.Single(plan.Waiting);
        Assert.Equal([PredicateNames.StartsAt, PredicateNames.NeverFits], w.Reasons.Select(r => r.Name));
        Assert.Equal("asks for cpu=64 but the largest agent has cpu=16", w.Reasons[1].Message);
        Assert.True(w.Permanent);

        // a transient "no room" is not added on top of a rule that already holds the session back
        var later = Plan([Session(2, req: "cpu=8", startsAt: T0.AddMinutes(2))], [Agent("a", "cpu=16", occupied: "cpu=16")]);
        Assert.Equal([PredicateNames.StartsAt], Assert.Single(later.Waiting).Reasons.Select(r => r.Name));
    }

    [Fact]
    public void Pinned_sessions_go_only_to_their_agent()
    {
        AgentState[] agents = [Agent("a", "cpu=4"), Agent("b", "cpu=4", occupied: "cpu=3")];
        PendingSession[] pending = [Session(1, req: "cpu=1", pinned: "b", createdSec: 1), Session(2, req: "cpu=1", pinned: "b", createdSec: 2)];
        var plan = Plan(pending, agents);
        Assert.Equal("1@b", Placed(plan));
        Assert.Equal("the pinned agent b has no room: it has cpu=0 free", Assert.Single(Assert.Single(plan.Waiting).Reasons).Message);
    }

    [Fact]
    public void Duplicate_ids_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Plan([Session(1), Session(1, createdSec: 5)], [Agent("a", "cpu=4")]));
        Assert.Throws<ArgumentException>(() => Plan([Session(1)], [Agent("a", "cpu=4"), Agent("a", "cpu=8")]));
    }

    [Fact]
    public void Inputs_are_not_changed()
    {
        var agents = new List<AgentState> { Agent("a", "cpu=4") };
        var usage = new Dictionary<Guid, UserUsage> { [G(1)] = Usage(1, pending: 1) };
        Plan([Session(1, req: "cpu=2")], agents, usage: usage);
        Assert.Equal(S("none"), agents[0].Occupied);
        Assert.Equal(Usage(1, pending: 1), usage[G(1)]);
    }

    // ---- property-style: random rounds with a fixed seed ----------------------------------------

    [Theory]
    [InlineData(20250301)]
    [InlineData(7)]
    [InlineData(424242)]
    public void Random_rounds_never_over_commit_and_place_everything_that_can_go(int seed)
    {
        var random = new Random(seed);
        var placed = 0;
        var reasons = new HashSet<string>();
        for (var round = 0; round < 400; round++)
        {
            var (pending, agents, usage, policies, rules, last) = RandomRound(random);
            var plan = ScheduleRound.Plan(pending, usage, policies, rules, agents, T0, last);
            CheckRound(round, pending, agents, usage, policies, rules, plan);
            placed += plan.Placements.Count;
            reasons.UnionWith(plan.Waiting.SelectMany(w => w.Reasons).Select(r => r.Name));
        }
        // the generator really exercises both outcomes and every kind of reason
        Assert.InRange(placed, 300, int.MaxValue);
        Assert.Equal(typeof(PredicateNames).GetFields().Select(f => (string)f.GetValue(null)!).Order(), reasons.Order());
    }

    private static void CheckRound(int round, List<PendingSession> pending, List<AgentState> agents,
        Dictionary<Guid, UserUsage> usage, Dictionary<Guid, UserPolicy> policies, GroupRules rules, RoundPlan plan)
    {
        var why = $"round {round}";
        var byId = pending.ToDictionary(s => s.Id);

        // every session exactly once; positions follow the queue order
        Assert.Equal(pending.Count, plan.Placements.Count + plan.Waiting.Count);
        Assert.Equal(pending.Select(s => s.Id).Order(), plan.Placements.Select(p => p.SessionId).Concat(plan.Waiting.Select(w => w.SessionId)).Order());
        var clusterCapacity = ResourceSlots.Sum(agents.Where(a => a.Schedulable).Select(a => a.Capacity));
        var ordered = QueueOrdering.Order(pending, rules.Order, usage, clusterCapacity).Select(s => s.Id).ToList();
        foreach (var w in plan.Waiting)
        {
            Assert.Equal(ordered.IndexOf(w.SessionId) + 1, w.QueuePosition);
            Assert.NotEmpty(w.Reasons);
        }
        Assert.Equal(plan.Placements.Select(p => p.SessionId), ordered.Where(id => plan.Placements.Any(p => p.SessionId == id)));

        // agents: never over-committed; only live agents of the right architecture, the pinned one when pinned
        var agentsAfter = agents.ToDictionary(a => a.Id);
        foreach (var p in plan.Placements)
        {
            var s = byId[p.SessionId];
            var a = agentsAfter[p.AgentId];
            Assert.True(a.Schedulable, why);
            Assert.True(s.Architecture is null || string.Equals(s.Architecture, a.Architecture, StringComparison.OrdinalIgnoreCase), why);
            Assert.True(s.PinnedAgentId is null || s.PinnedAgentId == a.Id, why);
            agentsAfter[p.AgentId] = a with { Occupied = a.Occupied + s.Requested };
        }
        foreach (var a in agentsAfter.Values)
            Assert.True(a.Occupied.FitsIn(a.Capacity), $"{why}: agent {a.Id} holds {a.Occupied} of {a.Capacity}");

        // users: policies hold after the round
        var usageAfter = new Dictionary<Guid, UserUsage>(usage);
        foreach (var p in plan.Placements)
        {
            var s = byId[p.SessionId];
            var u = usageAfter.TryGetValue(s.OwnerId, out var x) ? x : UserUsage.None(s.OwnerId);
            var policy = policies.GetValueOrDefault(s.OwnerId, UserPolicy.Unlimited);
            Assert.Empty(Predicates.Check(s, u, policy, rules, T0)); // it passed every rule when it went
            usageAfter[s.OwnerId] = u with { LiveSessions = u.LiveSessions + 1, PendingSessions = Math.Max(0, u.PendingSessions - 1), Occupied = u.Occupied + s.Requested };
        }
        foreach (var (owner, u) in usageAfter)
        {
            if (!policies.TryGetValue(owner, out var policy)) continue;
            var placedHere = plan.Placements.Count(p => byId[p.SessionId].OwnerId == owner);
            if (placedHere == 0) continue;
            if (policy.MaxConcurrentSessions is { } max) Assert.True(u.LiveSessions <= max, $"{why}: {u.LiveSessions} live over {max}");
            if (policy.MaxTotalSlots is { } limit) Assert.Empty(u.Occupied.SlotsOver(limit, unnamedIsUnlimited: true));
        }

        // nothing that could still go was left waiting: at the end of the round every waiting session still fails
        var finalAgents = agents.Select(a => agentsAfter[a.Id]).ToList();
        foreach (var w in plan.Waiting)
        {
            var s = byId[w.SessionId];
            var u = usageAfter.TryGetValue(s.OwnerId, out var x) ? x : UserUsage.None(s.OwnerId);
            var failures = Predicates.Check(s, u, policies.GetValueOrDefault(s.OwnerId, UserPolicy.Unlimited), rules, T0);
            var agent = AgentSelector.Select(s, finalAgents, rules.Selection, null, out string? _);
            Assert.True(failures.Count > 0 || agent is null, $"{why}: {IdOf(s.Id)} was left waiting but could go");
        }
    }

    private static (List<PendingSession>, List<AgentState>, Dictionary<Guid, UserUsage>, Dictionary<Guid, UserPolicy>, GroupRules, string?) RandomRound(Random r)
    {
        T Pick<T>(params T[] items) => items[r.Next(items.Length)];

        var agents = new List<AgentState>();
        var agentCount = r.Next(0, 7);
        for (var i = 0; i < agentCount; i++)
        {
            var cap = S($"cpu={Pick(2, 4, 8, 16)} mem={Pick(4, 8, 16, 32)}g" + (r.Next(3) == 0 ? $" cuda.device={Pick(1, 2, 4)}" : ""));
            var occupied = ResourceSlots.Of([.. cap.Names.Select(n => (n, decimal.Round(cap[n] * r.Next(0, 5) / 4m)))]);
            agents.Add(new AgentState($"agent-{i}", cap, occupied, r.Next(8) != 0, r.Next(6) == 0 ? "aarch64" : "x86_64"));
        }

        var owners = r.Next(1, 5);
        var usage = new Dictionary<Guid, UserUsage>();
        var policies = new Dictionary<Guid, UserPolicy>();
        for (var o = 1; o <= owners; o++)
        {
            if (r.Next(4) != 0) usage[G(o)] = Usage(o, live: r.Next(0, 4), pending: r.Next(0, 5), occupied: $"cpu={r.Next(0, 9)} mem={r.Next(0, 17)}g");
            if (r.Next(4) != 0)
                policies[G(o)] = new UserPolicy(
                    r.Next(3) == 0 ? null : r.Next(1, 6),
                    r.Next(3) == 0 ? null : S($"cpu={r.Next(2, 20)} mem={r.Next(4, 48)}g" + (r.Next(3) == 0 ? " cuda.device=" + r.Next(0, 3) : "")),
                    null,
                    r.Next(2) == 0 ? null : r.Next(1, 3));
        }

        var pending = new List<PendingSession>();
        var sessions = r.Next(0, 16);
        for (var i = 1; i <= sessions; i++)
        {
            var req = $"cpu={Pick("0.5", "1", "2", "4", "8")} mem={Pick("512m", "1g", "2g", "4g", "16g")}" + (r.Next(4) == 0 ? " cuda.device=" + r.Next(1, 3) : "");
            DateTimeOffset? startsAt = r.Next(5) == 0 ? T0.AddSeconds(r.Next(-60, 60)) : null;
            var pinned = r.Next(8) == 0 ? (agentCount > 0 && r.Next(4) != 0 ? $"agent-{r.Next(agentCount)}" : "ghost") : null;
            pending.Add(Session(i, owner: r.Next(1, owners + 1), req: req, createdSec: r.Next(0, 10),
                type: r.Next(3) == 0 ? SessionType.Batch : SessionType.Interactive, containers: r.Next(6) == 0 ? r.Next(2, 4) : 1,
                startsAt: startsAt, pinned: pinned, arch: Pick<string?>(null, null, null, null, "x86_64", "aarch64")));
        }

        var allowed = Pick<IReadOnlySet<SessionType>>(
            new HashSet<SessionType> { SessionType.Interactive, SessionType.Batch },
            new HashSet<SessionType> { SessionType.Interactive });
        var rules = new GroupRules(Pick(Enum.GetValues<QueueOrder>()), Pick(Enum.GetValues<AgentSelection>()), allowed);
        var last = agentCount > 0 && r.Next(2) == 0 ? $"agent-{r.Next(agentCount)}" : null;
        return (pending, agents, usage, policies, rules, last);
    }
}
