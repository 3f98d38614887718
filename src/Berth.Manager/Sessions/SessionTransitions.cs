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
        var owners = await OwnersAsync(ct);
        foreach (var (owner, e) in _pending)
        {
            var known = owners.GetValueOrDefault(owner);
            hub.Publish(owner, known?.Role, e.Owner is null ? e with { Owner = known?.Email } : e);
        }
        _pending.Clear();
    }

    // Not every caller loads the owner with the session (the scheduler, the agents' reports), and the hub needs each
    // owner's role to decide which admins see the event: one query for the owners of this save.
    private async Task<Dictionary<Guid, (string Email, Core.Accounts.UserRole Role)?>> OwnersAsync(CancellationToken ct)
    {
        var ids = _pending.Select(p => p.Owner).Distinct().ToList();
        if (ids.Count == 0) return [];
        var users = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.Email, u.Role }).ToListAsync(ct);
        return users.ToDictionary(u => u.Id, u => ((string, Core.Accounts.UserRole)?)(u.Email, u.Role));
    }
}
