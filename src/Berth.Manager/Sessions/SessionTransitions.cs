using Berth.Core.Contracts;
using Berth.Core.Sessions;
using Berth.Manager.Data;
using Microsoft.EntityFrameworkCore;

namespace Berth.Manager.Sessions;

/// <summary>
/// The one way a session's status changes: checked against the lifecycle table, timestamped in its
/// history with a reason, and announced on the event stream once saved.
/// </summary>
public sealed class SessionTransitions(BerthDbContext db, SessionEventHub hub, TimeProvider clock)
{
    private readonly List<(Guid Owner, SessionEventDto Event)> _pending = [];

    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Moves the session on; returns false (and changes nothing) when the lifecycle does not allow the step.</summary>
    public bool Move(SessionEntity session, SessionStatus to, string? reason)
    {
        if (session.Status == to || !SessionLifecycle.CanTransition(session.Status, to)) return false;
        Record(session, to, reason);
        return true;
    }

    /// <summary>The first status of a new session.</summary>
    public void Start(SessionEntity session, string? reason) => Record(session, SessionStatus.Pending, reason);

    private void Record(SessionEntity session, SessionStatus to, string? reason)
    {
        var now = Now;
        session.Status = to;
        session.StatusReason = reason;
        if (SessionLifecycle.IsTerminal(to)) session.TerminatedAt ??= now;
        if (to == SessionStatus.Running) session.StartedAt ??= now;
        db.SessionHistory.Add(new SessionStatusChangeEntity { SessionId = session.Id, Status = to, Reason = reason, At = now });
        _pending.Add((session.OwnerUserId, new SessionEventDto(session.Id, session.Name, to.ToWire(), reason,
            new DateTimeOffset(now, TimeSpan.Zero), session.ExitCode, session.OwnerUser?.Email)));
    }

    public async Task SaveAsync(CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        var emails = await OwnerEmailsAsync(ct);
        foreach (var (owner, e) in _pending) hub.Publish(owner, e.Owner is null ? e with { Owner = emails.GetValueOrDefault(owner) } : e);
        _pending.Clear();
    }

    // Not every caller loads the owner with the session (the scheduler, the agents' reports): one query for those that did not.
    private async Task<Dictionary<Guid, string>> OwnerEmailsAsync(CancellationToken ct)
    {
        var missing = _pending.Where(p => p.Event.Owner is null).Select(p => p.Owner).Distinct().ToList();
        if (missing.Count == 0) return [];
        return await db.Users.AsNoTracking().Where(u => missing.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, ct);
    }
}
