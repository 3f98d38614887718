using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Berth.Manager.Terminals;

/// <summary>What one terminal ticket opens: one session's terminal, for its owner, until it expires.</summary>
public sealed record TerminalTicket(string Id, Guid SessionId, Guid OwnerId, DateTimeOffset ExpiresAt);

/// <summary>
/// Short-lived random tickets for the browser page, which cannot sign HMAC requests. In this manager's memory only:
/// a restart (or another manager behind the same address) does not know them, and the owner asks for a new one.
/// </summary>
public sealed class TerminalTickets(TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, TerminalTicket> _tickets = new(StringComparer.Ordinal);

    public TerminalTicket Issue(Guid sessionId, Guid ownerId)
    {
        Sweep();
        var ticket = new TerminalTicket(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), sessionId, ownerId, clock.GetUtcNow() + Lifetime);
        _tickets[ticket.Id] = ticket;
        return ticket;
    }

    /// <summary>The ticket when it exists and has not expired.</summary>
    public TerminalTicket? Find(string id)
    {
        if (!_tickets.TryGetValue(id, out var ticket)) return null;
        if (ticket.ExpiresAt > clock.GetUtcNow()) return ticket;
        _tickets.TryRemove(id, out _);
        return null;
    }

    public void Revoke(string id) => _tickets.TryRemove(id, out _);

    private void Sweep()
    {
        var now = clock.GetUtcNow();
        foreach (var (id, ticket) in _tickets)
            if (ticket.ExpiresAt <= now) _tickets.TryRemove(id, out _);
    }
}
