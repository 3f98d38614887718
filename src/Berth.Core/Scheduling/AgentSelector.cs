namespace Berth.Core.Scheduling;

/// <summary>Picks the agent a pending session goes to.</summary>
public static class AgentSelector
{
    /// <summary>
    /// The agent <paramref name="session"/> goes to, or null with <paramref name="why"/> saying why none can take it.
    /// See <see cref="Select(PendingSession, IReadOnlyList{AgentState}, AgentSelection, string?, out PredicateFailure?)"/>.
    /// </summary>
    public static AgentState? Select(
        PendingSession session, IReadOnlyList<AgentState> agents, AgentSelection strategy,
        string? lastRoundRobinAgentId, out string? why)
    {
        var chosen = Select(session, agents, strategy, lastRoundRobinAgentId, out PredicateFailure? failure);
        why = failure?.Message;
        return chosen;
    }

    /// <summary>
    /// Candidates are the schedulable agents whose architecture matches the session's (when it names one) and whose
    /// free slots (capacity − occupied) hold the whole request; a pinned session has only its pinned agent.
    /// Among them, <see cref="AgentSelection.Dispersed"/> takes the one left with the most room and
    /// <see cref="AgentSelection.Concentrated"/> the one left with the least, both judged by the dominant share
    /// the agent would have in use after placement, over the slots the session asks for (ties by id);
    /// <see cref="AgentSelection.RoundRobin"/> takes the first candidate whose id comes after
    /// <paramref name="lastRoundRobinAgentId"/> in ordinal order, wrapping around.
    /// When none can take it, <paramref name="failure"/> is an <c>agent-room</c>, <c>pinned-agent</c> or
    /// <c>never-fits</c> failure (the last is permanent).
    /// </summary>
    public static AgentState? Select(
        PendingSession session, IReadOnlyList<AgentState> agents, AgentSelection strategy,
        string? lastRoundRobinAgentId, out PredicateFailure? failure)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(agents);
        var request = session.Requested;
        failure = null;

        if (session.PinnedAgentId is { } pinnedId)
        {
            var pinned = agents.FirstOrDefault(a => a.Id == pinnedId);
            if (pinned is null)
                failure = new(PredicateNames.PinnedAgent, $"the pinned agent {pinnedId} is not available: there is no such agent in this resource group");
            else if (!ArchitectureMatches(session, pinned))
                failure = new(PredicateNames.PinnedAgent,
                    $"the pinned agent {pinnedId} runs {pinned.Architecture}, but the session's image needs {session.Architecture}", Permanent: true);
            else if (!request.FitsIn(pinned.Capacity))
                failure = new(PredicateNames.NeverFits, NeverFitsWhy(request, [pinned], "the pinned agent"), Permanent: true);
            else if (!pinned.Schedulable)
                failure = new(PredicateNames.PinnedAgent, $"the pinned agent {pinnedId} is not available: it is lost or not accepting sessions");
            else if (!request.FitsIn(pinned.Free))
                failure = new(PredicateNames.AgentRoom, $"the pinned agent {pinnedId} has no room: it has {FreeShown(pinned, request)} free");
            return failure is null ? pinned : null;
        }

        var pool = agents.Where(a => ArchitectureMatches(session, a)).ToList();
        if (pool.Count == 0)
        {
            failure = new(PredicateNames.AgentRoom, agents.Count == 0
                ? "there is no agent in this resource group"
                : $"no agent in this resource group runs the {session.Architecture} architecture the session's image needs");
            return null;
        }
        if (!EverFits(request, pool, out var never))
        {
            failure = new(PredicateNames.NeverFits, never!, Permanent: true);
            return null;
        }
        var live = pool.Where(a => a.Schedulable).ToList();
        if (live.Count == 0)
        {
            failure = new(PredicateNames.AgentRoom, pool.Count == 1
                ? $"no agent is available: {pool[0].Id} is lost or not accepting sessions"
                : $"no agent is available: all {pool.Count} are lost or not accepting sessions");
            return null;
        }
        var fitting = live.Where(a => request.FitsIn(a.Free)).OrderBy(a => a.Id, StringComparer.Ordinal).ToList();
        if (fitting.Count == 0)
        {
            var largest = live.OrderByDescending(a => Coverage(a.Free, request)).ThenBy(a => a.Id, StringComparer.Ordinal).First();
            failure = new(PredicateNames.AgentRoom, $"no agent has room: the largest free is {FreeShown(largest, request)} on {largest.Id}");
            return null;
        }

        switch (strategy)
        {
            case AgentSelection.RoundRobin:
                return fitting.FirstOrDefault(a => lastRoundRobinAgentId is not null && string.CompareOrdinal(a.Id, lastRoundRobinAgentId) > 0)
                    ?? fitting[0];
            case AgentSelection.Concentrated:
                return fitting.OrderByDescending(a => ShareAfter(a, request)).ThenBy(a => a.Id, StringComparer.Ordinal).First();
            default:
                return fitting.OrderBy(a => ShareAfter(a, request)).ThenBy(a => a.Id, StringComparer.Ordinal).First();
        }
    }

    /// <summary>False when <paramref name="request"/> exceeds every agent's total capacity: the session could never start.</summary>
    public static bool EverFits(ResourceSlots request, IReadOnlyList<AgentState> agents) => EverFits(request, agents, out _);

    /// <param name="why">When false: e.g. <c>asks for cpu=64 but the largest agent has cpu=16</c>.</param>
    public static bool EverFits(ResourceSlots request, IReadOnlyList<AgentState> agents, out string? why)
    {
        ArgumentNullException.ThrowIfNull(agents);
        if (agents.Any(a => request.FitsIn(a.Capacity))) { why = null; return true; }
        why = NeverFitsWhy(request, agents, "the largest agent");
        return false;
    }

    private static string NeverFitsWhy(ResourceSlots request, IReadOnlyList<AgentState> agents, string largestAgent)
    {
        var asked = Asked(request);
        if (agents.Count == 0) return $"asks for {asked} but there is no agent in this resource group";
        foreach (var name in request.Names)
        {
            var most = agents.Max(a => a.Capacity[name]);
            if (request[name] <= most) continue;
            var one = ResourceSlots.Of((name, request[name]));
            return most <= 0
                ? $"asks for {one} but no agent has any {name}"
                : $"asks for {one} but {largestAgent} has {ResourceSlots.Of((name, most))}";
        }
        var closest = agents.OrderByDescending(a => Coverage(a.Capacity, request)).ThenBy(a => a.Id, StringComparer.Ordinal).First();
        return $"asks for {asked} but no single agent has all of it (the closest, {closest.Id}, has {closest.Capacity.Only(request.Names)} in all)";
    }

    private static bool ArchitectureMatches(PendingSession session, AgentState agent) =>
        session.Architecture is null || string.Equals(session.Architecture, agent.Architecture, StringComparison.OrdinalIgnoreCase);

    /// <summary>The slots the request really asks for (non-zero), or all of them when it asks for nothing.</summary>
    private static IReadOnlyList<string> AskedNames(ResourceSlots request)
    {
        var names = request.Names.Where(n => request[n] != 0m).ToList();
        return names.Count > 0 ? names : request.Names;
    }

    private static ResourceSlots Asked(ResourceSlots request) => request.Only(AskedNames(request));

    /// <summary>The agent's free slots (never below 0) that matter to the request.</summary>
    private static string FreeShown(AgentState agent, ResourceSlots request)
    {
        var names = AskedNames(request);
        var free = ResourceSlots.Max(agent.Free, ResourceSlots.Zero);
        return (names.Count > 0 ? free.Only(names) : free).Format();
    }

    /// <summary>How much of the request <paramref name="room"/> covers, on its worst slot (1 or more: it fits).</summary>
    private static decimal Coverage(ResourceSlots room, ResourceSlots request)
    {
        var coverage = decimal.MaxValue;
        foreach (var name in request.Names)
        {
            var want = request[name];
            if (want <= 0m) continue;
            coverage = Math.Min(coverage, Math.Max(0m, room[name]) / want);
        }
        return coverage;
    }

    /// <summary>The dominant share the agent would have in use after placement, over the slots the session asks for.</summary>
    private static decimal ShareAfter(AgentState agent, ResourceSlots request)
    {
        var names = request.Names.Where(n => request[n] > 0m).ToList();
        var after = agent.Occupied + request;
        return (names.Count > 0 ? after.Only(names) : after).DominantShare(agent.Capacity);
    }
}
