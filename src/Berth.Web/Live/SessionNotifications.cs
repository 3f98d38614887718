using Berth.Core.Contracts;

namespace Berth.Web.Live;

/// <summary>One created session the header's notifications keep, with its latest status from the event stream.</summary>
/// <param name="Owner">The owner's email (from the event); an admin's list holds other users' sessions too.</param>
public sealed record SessionNote(Guid SessionId, string SessionName, string? Owner, string Status, string? Reason, DateTimeOffset CreatedAt)
{
    /// <summary>The session has left the starting statuses: its toast has said what it had to say.</summary>
    public bool Settled => Status is "RUNNING" or "ERROR" or "TERMINATED" or "CANCELLED";

    public bool IsLive => Status is not ("TERMINATED" or "CANCELLED" or "TERMINATING");
}

/// <summary>
/// The circuit's notifications (scoped): every session created while the console is open — here, by the CLI, the
/// API, or, for admins, by another user — and its status as it moves. The toasts and the header's list both read
/// it, so a toast that has gone leaves the same entry (and the same actions) in the list.
/// </summary>
public sealed class SessionNotifications : IDisposable
{
    public const int Keep = 20;

    private readonly SessionEventFeed _feed;
    private readonly List<SessionNote> _notes = [];
    private readonly Lock _lock = new();

    public SessionNotifications(SessionEventFeed feed)
    {
        _feed = feed;
        _feed.Received += OnEventAsync;
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<SessionNote> Notes
    {
        get { lock (_lock) return [.. _notes]; }
    }

    public SessionNote? Find(Guid sessionId)
    {
        lock (_lock) return _notes.Find(n => n.SessionId == sessionId);
    }

    /// <summary>A session was created (its first event). Raised off the renderer's thread: use InvokeAsync.</summary>
    public event Func<SessionNote, Task>? Added;

    /// <summary>A kept session's status moved. Raised off the renderer's thread: use InvokeAsync.</summary>
    public event Func<SessionNote, Task>? Changed;

    // PENDING is the first status a session has: its event means it was just created.
    private async Task OnEventAsync(SessionEventDto e)
    {
        SessionNote note;
        Func<SessionNote, Task>? raise;
        lock (_lock)
        {
            var index = _notes.FindIndex(n => n.SessionId == e.SessionId);
            if (index < 0)
            {
                if (e.Status != "PENDING") return;
                note = new SessionNote(e.SessionId, e.SessionName, e.Owner, e.Status, e.Reason, e.At);
                _notes.Insert(0, note);
                if (_notes.Count > Keep) _notes.RemoveAt(_notes.Count - 1);
                raise = Added;
            }
            else
            {
                // A rename arrives as an event too: keep the name current with the status.
                note = _notes[index] with { SessionName = e.SessionName, Status = e.Status, Reason = e.Reason, Owner = e.Owner ?? _notes[index].Owner };
                _notes[index] = note;
                raise = Changed;
            }
        }
        if (raise is null) return;
        foreach (var handler in raise.GetInvocationList().Cast<Func<SessionNote, Task>>()) await handler(note);
    }

    public void Dispose() => _feed.Received -= OnEventAsync;
}
