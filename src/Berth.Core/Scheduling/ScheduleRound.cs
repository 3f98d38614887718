namespace Berth.Core.Scheduling;

/// <summary>A session the round starts, and where.</summary>
public sealed record Placement(Guid SessionId, string AgentId);

/// <summary>A session the round leaves pending.</summary>
/// <param name="Reasons">Why, never empty.</param>
/// <param name="QueuePosition">Its 1-based place in the round's queue order (placed sessions counted).</param>
public sealed record WaitingSession(Guid SessionId, IReadOnlyList<PredicateFailure> Reasons, int QueuePosition)
{
    /// <summary>True when some reason will not go away by waiting; the caller may cancel the session with it.</summary>
    public bool Permanent => Reasons.Any(r => r.Permanent);
}

/// <param name="Placements">In queue order.</param>
/// <param name="Waiting">In queue order.</param>
/// <param name="LastRoundRobinAgentId">The last agent chosen in the round (or the one given, when none was): keep it for the next round.</param>
public sealed record RoundPlan(IReadOnlyList<Placement> Placements, IReadOnlyList<WaitingSession> Waiting, string? LastRoundRobinAgentId);

/// <summary>One scheduling round of one resource group.</summary>
public static class ScheduleRound
{
    /// <summary>
    /// Orders <paramref name="pending"/> by the group's queue order (DRF shares over the schedulable agents' total
    /// capacity), then walks the queue once: a session that passes <see cref="Predicates.Check"/> against its owner's
    /// usage so far is placed with <see cref="AgentSelector.Select(PendingSession, IReadOnlyList{AgentState}, AgentSelection, string?, out PredicateFailure?)"/>,
    /// and the agent's occupied slots and the owner's usage (live +1, pending −1, occupied + request) grow at once,
    /// so later sessions in the same round see them: a round never over-commits an agent or takes a user past a policy.
    /// A session that cannot go waits and later ones may still go (no head-of-line blocking). Since a round only ever
    /// fills agents and usage, every waiting session would still fail at the end of the round.
    /// A session that fails a predicate also gets any permanent agent reason (never fits, pinned to an agent of
    /// another architecture), so it can be told early that it will never start.
    /// Owners missing from <paramref name="usage"/> hold nothing; owners missing from <paramref name="policies"/> are unlimited.
    /// </summary>
    /// <exception cref="ArgumentException">Two pending sessions, or two agents, share an id.</exception>
    public static RoundPlan Plan(
        IReadOnlyList<PendingSession> pending,
        IReadOnlyDictionary<Guid, UserUsage> usage,
        IReadOnlyDictionary<Guid, UserPolicy> policies,
        GroupRules group,
        IReadOnlyList<AgentState> agents,
        DateTimeOffset now,
        string? lastRoundRobinAgentId)
    {
        ArgumentNullException.ThrowIfNull(pending);
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(group);
        ArgumentNullException.ThrowIfNull(agents);
        var duplicate = pending.GroupBy(s => s.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new ArgumentException($"Session {duplicate.Key} is pending more than once.", nameof(pending));
        var sameAgent = agents.GroupBy(a => a.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (sameAgent is not null)
            throw new ArgumentException($"Agent {sameAgent.Key} is listed more than once.", nameof(agents));

        var clusterCapacity = ResourceSlots.Sum(agents.Where(a => a.Schedulable).Select(a => a.Capacity));
        var ordered = QueueOrdering.Order(pending, group.Order, usage, clusterCapacity);

        var agentState = agents.ToList();
        var usageNow = new Dictionary<Guid, UserUsage>(usage);
        var placements = new List<Placement>();
        var waiting = new List<WaitingSession>();
        var lastRoundRobin = lastRoundRobinAgentId;

        for (var i = 0; i < ordered.Count; i++)
        {
            var session = ordered[i];
            var owner = usageNow.TryGetValue(session.OwnerId, out var u) ? u : UserUsage.None(session.OwnerId);
            var policy = policies.TryGetValue(session.OwnerId, out var p) ? p : UserPolicy.Unlimited;
            var failures = Predicates.Check(session, owner, policy, group, now);

            var chosen = AgentSelector.Select(session, agentState, group.Selection, lastRoundRobin, out PredicateFailure? agentFailure);
            if (failures.Count > 0 || chosen is null)
            {
                var reasons = failures.ToList();
                if (agentFailure is not null && (reasons.Count == 0 || agentFailure.Permanent)) reasons.Add(agentFailure);
                waiting.Add(new WaitingSession(session.Id, reasons, i + 1));
                continue;
            }

            var index = agentState.FindIndex(a => ReferenceEquals(a, chosen));
            agentState[index] = chosen with { Occupied = chosen.Occupied + session.Requested };
            usageNow[session.OwnerId] = owner with
            {
                LiveSessions = owner.LiveSessions + 1,
                PendingSessions = Math.Max(0, owner.PendingSessions - 1),
                Occupied = owner.Occupied + session.Requested,
            };
            lastRoundRobin = chosen.Id;
            placements.Add(new Placement(session.Id, chosen.Id));
        }
        return new RoundPlan(placements, waiting, lastRoundRobin);
    }
}
