using Berth.Core.Problems;

namespace Berth.Core.Sessions;

public enum SessionStatus { Pending, Scheduled, Preparing, Creating, Running, Terminating, Terminated, Cancelled, Error }

public enum SessionType { Interactive, Batch }

/// <summary>Wire names match Backend.AI's: statuses UPPERCASE, types lowercase.</summary>
public static class SessionWire
{
    public static string ToWire(this SessionStatus s) => s switch
    {
        SessionStatus.Pending => "PENDING",
        SessionStatus.Scheduled => "SCHEDULED",
        SessionStatus.Preparing => "PREPARING",
        SessionStatus.Creating => "CREATING",
        SessionStatus.Running => "RUNNING",
        SessionStatus.Terminating => "TERMINATING",
        SessionStatus.Terminated => "TERMINATED",
        SessionStatus.Cancelled => "CANCELLED",
        _ => "ERROR",
    };

    public static string ToWire(this SessionType t) => t == SessionType.Batch ? "batch" : "interactive";

    public static bool TryParseType(string? text, out SessionType type)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "interactive": type = SessionType.Interactive; return true;
            case "batch": type = SessionType.Batch; return true;
            default: type = default; return false;
        }
    }

    /// <summary>Reads a status back from its wire name (case-insensitive).</summary>
    public static bool TryParseStatus(string? text, out SessionStatus status)
    {
        var wanted = text?.Trim();
        foreach (var s in Enum.GetValues<SessionStatus>())
        {
            if (string.Equals(s.ToWire(), wanted, StringComparison.OrdinalIgnoreCase)) { status = s; return true; }
        }
        status = default;
        return false;
    }

    /// <summary>The session type of a create request: null or empty means interactive; anything else unknown is refused.</summary>
    public static Problem? CheckType(string? text, out SessionType type, string field = "type")
    {
        if (string.IsNullOrWhiteSpace(text)) { type = SessionType.Interactive; return null; }
        if (TryParseType(text, out type)) return null;
        return Problem.Invalid(field, "type-invalid", $"{ProblemText.Quote(text)} is not a session type; use 'interactive' or 'batch'.");
    }
}

/// <summary>
/// Where a session may go next: PENDING → SCHEDULED → PREPARING → CREATING → RUNNING → TERMINATING → TERMINATED.
/// A session not yet started can be CANCELLED; one that fails while starting is CANCELLED or ERROR;
/// a running one can fail (ERROR); any live session can be asked to terminate. Nothing leaves a terminal status.
/// </summary>
public static class SessionLifecycle
{
    /// <summary>True while the session holds (or is about to hold) resources: everything but TERMINATED, CANCELLED and ERROR.</summary>
    public static bool IsLive(SessionStatus status) => !IsTerminal(status);

    public static bool IsTerminal(SessionStatus status) =>
        status is SessionStatus.Terminated or SessionStatus.Cancelled or SessionStatus.Error;

    public static bool CanTransition(SessionStatus from, SessionStatus to)
    {
        if (IsTerminal(from) || from == to) return false;
        if (to == SessionStatus.Terminating) return true; // any live status
        return (from, to) switch
        {
            (SessionStatus.Pending, SessionStatus.Scheduled) => true,
            (SessionStatus.Pending, SessionStatus.Cancelled) => true,
            (SessionStatus.Scheduled, SessionStatus.Preparing) => true,
            (SessionStatus.Scheduled, SessionStatus.Cancelled) => true,
            (SessionStatus.Preparing, SessionStatus.Creating) => true,
            (SessionStatus.Preparing, SessionStatus.Cancelled or SessionStatus.Error) => true,
            (SessionStatus.Creating, SessionStatus.Running) => true,
            (SessionStatus.Creating, SessionStatus.Cancelled or SessionStatus.Error) => true,
            (SessionStatus.Running, SessionStatus.Error) => true,
            (SessionStatus.Terminating, SessionStatus.Terminated) => true,
            _ => false,
        };
    }

    /// <summary>Null when the move is allowed; otherwise a 409 <c>session-status</c> problem that says why.</summary>
    public static Problem? CheckTransition(SessionStatus from, SessionStatus to)
    {
        if (CanTransition(from, to)) return null;
        var detail = IsTerminal(from)
            ? $"The session has already ended ({from.ToWire()}); it cannot become {to.ToWire()}."
            : from == to
                ? $"The session is already {from.ToWire()}."
                : $"A {from.ToWire()} session cannot become {to.ToWire()}.";
        return Problem.Conflict("session-status", detail, "status");
    }
}

/// <summary>
/// Standard status reasons. A reason may carry a suffix after a colon that says more,
/// e.g. <c>failed-to-start: image not found</c>; <see cref="Base"/> strips it.
/// </summary>
public static class SessionReasons
{
    /// <summary>The owner (or an admin) asked for the session to end.</summary>
    public const string UserRequested = "user-requested";
    /// <summary>A batch session's startup command finished.</summary>
    public const string BatchExited = "batch-exited";
    /// <summary>An interactive session's main process ended on its own.</summary>
    public const string Exited = "exited";
    /// <summary>The agent could not prepare or create the container.</summary>
    public const string FailedToStart = "failed-to-start";
    /// <summary>The kernel's OOM killer ended the container.</summary>
    public const string OomKilled = "oom-killed";
    /// <summary>The agent that ran the session stopped answering.</summary>
    public const string AgentLost = "agent-lost";
    /// <summary>The container disappeared from the Docker engine behind Berth's back.</summary>
    public const string ContainerVanished = "container-vanished";
    /// <summary>A restarted server found the session's container still running and took it back.</summary>
    public const string Adopted = "adopted";
    /// <summary>The scheduler found room for the session.</summary>
    public const string Scheduled = "scheduled";
    /// <summary>An admin ended the session without waiting for it to stop cleanly.</summary>
    public const string ForceTerminated = "force-terminated";

    /// <summary><c>failed-to-start: why</c>; just the reason when <paramref name="why"/> is empty.</summary>
    public static string With(string reason, string? why)
    {
        var extra = why?.Trim();
        return string.IsNullOrEmpty(extra) ? reason : $"{reason}: {extra}";
    }

    /// <summary>The standard part of a reason: <c>failed-to-start: no image</c> → <c>failed-to-start</c>.</summary>
    public static string? Base(string? reason)
    {
        if (reason is null) return null;
        var colon = reason.IndexOf(':');
        return (colon < 0 ? reason : reason[..colon]).Trim();
    }
}
