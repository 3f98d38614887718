using Berth.Web.Live;

namespace Berth.Web.Components.Layout;

/// <summary>The words of a session's notification; an admin's name other users' sessions by their owner.</summary>
public static class SessionToastText
{
    public static string Headline(SessionNote note, string? me) =>
        note.Owner is { Length: > 0 } owner && !string.Equals(owner, me, StringComparison.OrdinalIgnoreCase)
            ? $"Session {note.SessionName} of {owner} created at {note.CreatedAt.ToLocalTime():HH:mm:ss}."
            : $"Session {note.SessionName} created at {note.CreatedAt.ToLocalTime():HH:mm:ss}.";
}
