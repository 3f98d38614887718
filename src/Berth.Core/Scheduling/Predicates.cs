using System.Globalization;
using Berth.Core.Problems;
using Berth.Core.Sessions;

namespace Berth.Core.Scheduling;

/// <summary>Why a pending session cannot start now.</summary>
/// <param name="Name">A stable id, one of <see cref="PredicateNames"/>.</param>
/// <param name="Message">Lowercase words a user understands, without a final period, to follow "waiting: ".</param>
/// <param name="Permanent">True when waiting will not help: the session can never start as asked.</param>
public sealed record PredicateFailure(string Name, string Message, bool Permanent = false);

/// <summary>The names a <see cref="PredicateFailure"/> carries.</summary>
public static class PredicateNames
{
    public const string StartsAt = "starts-at";
    public const string SessionType = "session-type";
    public const string Concurrency = "concurrency";
    public const string UserSlots = "user-slots";
    public const string ContainersPerSession = "containers-per-session";
    /// <summary>No agent has room now (or the pinned agent has none).</summary>
    public const string AgentRoom = "agent-room";
    /// <summary>The pinned agent is unknown, lost or not accepting sessions.</summary>
    public const string PinnedAgent = "pinned-agent";
    /// <summary>No agent could ever hold the session, even empty.</summary>
    public const string NeverFits = "never-fits";
}

/// <summary>The per-user and per-group rules a pending session must pass before an agent is looked for.</summary>
public static class Predicates
{
    /// <summary>
    /// Every rule <paramref name="session"/> breaks now, in a fixed order (starts-at, session-type,
    /// containers-per-session, concurrency, user-slots); empty when it may be placed.
    /// <paramref name="usage"/> is the owner's usage without this session's resources.
    /// </summary>
    public static IReadOnlyList<PredicateFailure> Check(
        PendingSession session, UserUsage usage, UserPolicy policy, GroupRules group, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(group);
        var failures = new List<PredicateFailure>();

        if (session.StartsAt is { } startsAt && startsAt > now)
            failures.Add(new(PredicateNames.StartsAt,
                $"scheduled to start at {FormatTime(startsAt)} (in {FormatDuration(startsAt - now)})"));

        if (!group.AllowedTypes.Contains(session.Type))
        {
            var allowed = Enum.GetValues<SessionType>().Where(group.AllowedTypes.Contains).Select(t => t.ToWire()).ToList();
            var takes = allowed.Count == 0 ? "it takes no sessions at all" : $"it takes {string.Join(" and ", allowed)} sessions only";
            failures.Add(new(PredicateNames.SessionType,
                $"{session.Type.ToWire()} sessions are not allowed in this resource group ({takes})", Permanent: true));
        }

        if (policy.MaxContainersPerSession is { } maxContainers && session.ContainerCount > maxContainers)
            failures.Add(new(PredicateNames.ContainersPerSession,
                $"the session has {Count(session.ContainerCount, "container")} but your policy allows at most {maxContainers} per session",
                Permanent: true));

        if (policy.MaxConcurrentSessions is { } maxSessions && usage.LiveSessions >= maxSessions)
            failures.Add(new(PredicateNames.Concurrency, maxSessions == 0
                ? "your policy allows you no running sessions"
                : $"you already run {usage.LiveSessions} of the {Count(maxSessions, "session")} your policy allows"));

        if (policy.MaxTotalSlots is { } limit)
        {
            var alone = session.Requested.SlotsOver(limit, unnamedIsUnlimited: true);
            if (alone.Count > 0)
            {
                failures.Add(new(PredicateNames.UserSlots,
                    $"the session alone asks for {session.Requested.Only(alone)}, more than your policy's total of {limit.Only(alone)}",
                    Permanent: true));
            }
            else
            {
                var after = usage.Occupied + session.Requested;
                var over = after.SlotsOver(limit, unnamedIsUnlimited: true);
                if (over.Count > 0)
                    failures.Add(new(PredicateNames.UserSlots,
                        $"it would bring your usage to {after.Only(limit.Names)}, over your policy's {limit} (too much {string.Join(" and ", over)})"));
            }
        }
        return failures;
    }

    /// <summary>
    /// Whether the user may queue one more session (checked when a session is created): null, or a 429
    /// <c>too-many-pending-sessions</c> problem when the policy's pending-session limit is reached.
    /// </summary>
    public static Problem? CheckCanQueue(UserUsage usage, UserPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.MaxPendingSessions is not { } max || usage.PendingSessions < max) return null;
        var detail = max == 0
            ? "Your resource policy allows no pending sessions, so a session cannot be queued."
            : $"You already have {usage.PendingSessions} of the {Count(max, "pending session")} your policy allows; wait for one to start or cancel one.";
        return new Problem(429, "too-many-pending-sessions", detail);
    }

    /// <summary><c>2025-01-02 03:04:05 UTC</c>.</summary>
    public static string FormatTime(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>Rounded up to whole seconds, two units at most: <c>12 s</c>, <c>4 min 5 s</c>, <c>2 h 30 min</c>, <c>3 d 4 h</c>.</summary>
    public static string FormatDuration(TimeSpan span)
    {
        var seconds = (long)Math.Ceiling(Math.Max(0, span.TotalSeconds));
        if (seconds < 60) return $"{seconds} s";
        static string Two(long big, string bigUnit, long small, string smallUnit) =>
            small == 0 ? $"{big} {bigUnit}" : $"{big} {bigUnit} {small} {smallUnit}";
        if (seconds < 3600) return Two(seconds / 60, "min", seconds % 60, "s");
        if (seconds < 86400) return Two(seconds / 3600, "h", seconds % 3600 / 60, "min");
        return Two(seconds / 86400, "d", seconds % 86400 / 3600, "h");
    }

    private static string Count(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
