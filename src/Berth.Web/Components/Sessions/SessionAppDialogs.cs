using Berth.Core.Contracts;
using Berth.Web.Auth;
using MudBlazor;

namespace Berth.Web.Components.Sessions;

/// <summary>The detail panel's "App launcher" and "Terminal" dialogs, opened for one RUNNING session.</summary>
public static class SessionAppDialogs
{
    /// <summary>
    /// The API's rules for both: apps open and terminal tickets are issued only in RUNNING sessions, and only for the
    /// session's owner (an admin looking at someone else's session gets <c>app-owner-only</c> / <c>terminal-owner-only</c>).
    /// </summary>
    public static bool CanOpen(SessionDto session, ConsoleUser user) =>
        session.Status == "RUNNING" && string.Equals(session.Owner, user.Email, StringComparison.OrdinalIgnoreCase);

    public static Task<IDialogReference> ShowAppLauncherAsync(this IDialogService dialogs, SessionDto session) =>
        dialogs.ShowAsync<AppLauncherDialog>("Apps: " + session.Name,
            new DialogParameters<AppLauncherDialog> { { d => d.SessionId, session.Id } },
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = true });

    // Escape stays with the shell (vim, less): the frame keeps the keys while it has focus; Close is a button.
    public static Task<IDialogReference> ShowTerminalAsync(this IDialogService dialogs, SessionDto session) =>
        dialogs.ShowAsync<TerminalDialog>("Terminal: " + session.Name,
            new DialogParameters<TerminalDialog> { { d => d.SessionId, session.Id }, { d => d.SessionName, session.Name } },
            new DialogOptions { MaxWidth = MaxWidth.ExtraLarge, FullWidth = true, CloseOnEscapeKey = false, CloseButton = true });
}
