using System.Collections.Concurrent;

namespace Berth.Manager.Sessions;

/// <summary>
/// The sessions whose container is being committed to an image right now, held in this manager's memory (no
/// schema change): a destroy without force is refused meanwhile. With several managers, only the one running the
/// commit knows; a destroy through another manager goes ahead, and the commit then fails.
/// </summary>
public sealed class SessionCommits
{
    private readonly ConcurrentDictionary<Guid, Guid> _running = new();

    /// <summary>False when this session is already being committed.</summary>
    public bool TryBegin(Guid sessionId, Guid ownerId) => _running.TryAdd(sessionId, ownerId);

    public void End(Guid sessionId) => _running.TryRemove(sessionId, out _);

    public bool IsCommitting(Guid sessionId) => _running.ContainsKey(sessionId);

    /// <summary>Commits under way for this owner: they count toward the policy limit before their image exists.</summary>
    public int InFlightFor(Guid ownerId) => _running.Values.Count(o => o == ownerId);
}
