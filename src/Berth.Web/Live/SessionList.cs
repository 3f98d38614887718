using Berth.Core.Contracts;

namespace Berth.Web.Live;

/// <summary>Which of the Sessions page's tabs a session belongs on.</summary>
public enum SessionTab { Running, Finished }

/// <summary>
/// The sessions one circuit shows, kept current from the event stream: a full read after every (re)connect,
/// then one re-read per session an event names. Pure state (no I/O), so the page's filters are easy to follow.
/// </summary>
public sealed class SessionList
{
    private readonly Dictionary<Guid, SessionDto> _byId = [];

    public IReadOnlyCollection<SessionDto> All => _byId.Values;

    public void ReplaceAll(IEnumerable<SessionDto> sessions)
    {
        _byId.Clear();
        foreach (var s in sessions) _byId[s.Id] = s;
    }

    /// <summary>Adds or updates one session; true when it was not known before (for the "created" toast).</summary>
    public bool Upsert(SessionDto session)
    {
        var isNew = !_byId.ContainsKey(session.Id);
        _byId[session.Id] = session;
        return isNew;
    }

    /// <summary>
    /// Moves a known session's row at once from its event (status, reason, exit code, name, owner), before the
    /// re-read that fills in the rest; false when the session is not shown (the re-read then adds it).
    /// </summary>
    public bool Apply(SessionEventDto e)
    {
        if (!_byId.TryGetValue(e.SessionId, out var known)) return false;
        _byId[e.SessionId] = known with
        {
            Name = e.SessionName,
            Status = e.Status,
            StatusReason = e.Reason,
            ExitCode = e.ExitCode ?? known.ExitCode,
            Owner = e.Owner ?? known.Owner,
        };
        return true;
    }

    public SessionDto? Find(Guid id) => _byId.GetValueOrDefault(id);

    /// <summary>Finished means TERMINATED or CANCELLED, as in Backend.AI; everything else (ERROR included) is Running.</summary>
    public static SessionTab TabOf(SessionDto session) =>
        session.Status is "TERMINATED" or "CANCELLED" ? SessionTab.Finished : SessionTab.Running;

    /// <param name="type">interactive, batch, or null for both.</param>
    /// <param name="nameContains">Case-insensitive part of the name; empty for all.</param>
    public IReadOnlyList<SessionDto> Filter(SessionTab tab, string? type, string? nameContains) =>
        _byId.Values
            .Where(s => TabOf(s) == tab)
            .Where(s => string.IsNullOrEmpty(type) || s.Type == type)
            .Where(s => string.IsNullOrWhiteSpace(nameContains) || s.Name.Contains(nameContains.Trim(), StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(s => s.CreatedAt)
            .ToList();

    public int Count(SessionTab tab) => _byId.Values.Count(s => TabOf(s) == tab);
}
