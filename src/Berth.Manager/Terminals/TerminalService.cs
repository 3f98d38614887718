using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Core.Sessions;
using Berth.Manager.Auth;
using Berth.Manager.Data;
using Berth.Manager.Sessions;
using Microsoft.EntityFrameworkCore;

namespace Berth.Manager.Terminals;

/// <summary>Who may open a session's terminal, and the tickets that let a browser do it.</summary>
public sealed class TerminalService(SessionService sessions, BerthDbContext db, TerminalTickets tickets)
{
    /// <summary>The same rule as exec: the caller's session (an admin's by id), RUNNING.</summary>
    public async Task<TerminalTarget> ResolveAsync(Caller caller, string reference, CancellationToken ct) =>
        Target(await sessions.FindAsync(caller, reference, ct));

    /// <summary>A ticket for the browser page; only the session's owner gets one.</summary>
    /// <param name="baseUrl">The manager's address as the caller reached it, e.g. <c>http://127.0.0.1:8090</c>.</param>
    public async Task<TerminalTicketDto> IssueTicketAsync(Caller caller, string reference, string baseUrl, CancellationToken ct)
    {
        var session = await sessions.FindAsync(caller, reference, ct);
        if (session.OwnerUserId != caller.UserId)
            throw Problem.Forbidden("terminal-owner-only", $"Only the owner of session '{session.Name}' may open its terminal in a browser.", "session").ToException();
        Target(session);
        var ticket = tickets.Issue(session.Id, session.OwnerUserId);
        return new TerminalTicketDto(baseUrl.TrimEnd('/') + PathOf(ticket.Id) + "/", ticket.Id, ticket.ExpiresAt);
    }

    public static string PathOf(string ticket) => "/terminal/" + ticket;

    /// <summary>The terminal a ticket opens; a problem when the ticket is unknown or expired or its session no longer runs.</summary>
    public async Task<TerminalTarget> ResolveTicketAsync(string ticketId, CancellationToken ct)
    {
        var ticket = tickets.Find(ticketId) ?? throw TicketInvalid().ToException();
        var session = await db.Sessions.AsNoTracking().FirstOrDefaultAsync(s => s.Id == ticket.SessionId, ct);
        if (session is null || session.OwnerUserId != ticket.OwnerId) throw TicketInvalid().ToException();
        if (session.Status != SessionStatus.Running || session.ContainerId is null)
        {
            tickets.Revoke(ticketId);
            throw TicketInvalid().ToException();
        }
        return Target(session);
    }

    /// <summary>A ticket that does not exist and one that expired look the same to whoever holds it.</summary>
    public static Problem TicketInvalid() => Problem.NotFound("terminal-ticket-invalid",
        "This terminal address is not valid (the ticket expired, its session ended, or the manager restarted); get a new one with `berth session terminal NAME --web`.");

    private static TerminalTarget Target(SessionEntity session)
    {
        if (session.Status != SessionStatus.Running || session.ContainerId is null || session.AgentId is null)
            throw Problem.Conflict("session-not-running", $"Session '{session.Name}' is {session.Status.ToWire()}; a terminal opens only in RUNNING sessions.", "session").ToException();
        return new TerminalTarget(session.Id, session.Name, session.AgentId, session.ContainerId);
    }
}
