using Berth.Core.Contracts;
using Berth.Web.Auth;
using MudBlazor;

namespace Berth.Web.Components.Sessions;

/// <summary>
/// A session's dialogs — "App launcher" and "Terminal" (for one RUNNING session), and its logs — opened from the detail
/// panel and from the notifications (toasts and the header's list), which know a session only by id, name and status.
/// </summary>
public static class SessionAppDialogs
{
    /// <summary>
    /// The API's rules for both: apps open and terminal tickets are issued only in RUNNING sessions, and only for the
    /// session's owner (an admin looking at someone else's session gets <c>app-owner-only</c> / <c>terminal-owner-only</c>).
    /// </summary>
    public static bool CanOpen(SessionDto session, ConsoleUser user) => CanOpen(session.Status, session.Owner, user);

    public static bool CanOpen(string status, string? owner, ConsoleUser user) =>
        status == "RUNNING" && string.Equals(owner, user.Email, StringComparison.OrdinalIgnoreCase);

    public static Task<IDialogReference> ShowAppLauncherAsync(this IDialogService dialogs, SessionDto session) =>
        dialogs.ShowAppLauncherAsync(session.Id, session.Name);

    public static Task<IDialogReference> ShowAppLauncherAsync(this IDialogService dialogs, Guid sessionId, string sessionName) =>
        dialogs.ShowAsync<AppLauncherDialog>("Apps: " + sessionName,
            new DialogParameters<AppLauncherDialog> { { d => d.SessionId, sessionId } },
            new DialogOptions { MaxWidth = MaxWidth.Medium, FullWidth = true, CloseOnEscapeKey = true });

    // Escape stays with the shell (vim, less): the frame keeps the keys while it has focus; Close is a button.
    public static Task<IDialogReference> ShowTerminalAsync(this IDialogService dialogs, SessionDto session) =>
        dialogs.ShowTerminalAsync(session.Id, session.Name);

    public static Task<IDialogReference> ShowTerminalAsync(this IDialogService dialogs, Guid sessionId, string sessionName) =>
        dialogs.ShowAsync<TerminalDialog>("Terminal: " + sessionName,
            new DialogParameters<TerminalDialog> { { d => d.SessionId, sessionId }, { d => d.SessionName, sessionName } },
            new DialogOptions { MaxWidth = MaxWidth.ExtraLarge, FullWidth = true, CloseOnEscapeKey = false, CloseButton = true });

    // The manager keeps a session's output after it ended, so the logs are offered in every status.
    public static Task<IDialogReference> ShowLogsAsync(this IDialogService dialogs, Guid sessionId, string sessionName) =>
        dialogs.ShowAsync<LogsDialog>("Logs: " + sessionName,
            new DialogParameters<LogsDialog> { { d => d.SessionId, sessionId } },
            new DialogOptions { MaxWidth = MaxWidth.Large, FullWidth = true, CloseOnEscapeKey = true });

    /// <summary>Asks first (files outside mounted folders are lost), then terminates; a refusal becomes an error toast.</summary>
    /// <returns>True when the manager took the request.</returns>
    public static async Task<bool> ConfirmAndTerminateAsync(this IDialogService dialogs, ConsoleUser user, ISnackbar snackbar,
        Guid sessionId, string sessionName)
    {
        var confirmed = await dialogs.ShowMessageBoxAsync("Terminate session",
            $"Terminate {sessionName}? Files outside mounted folders are lost.", yesText: "Terminate", cancelText: "Cancel");
        if (confirmed != true) return false;
        try
        {
            await user.Client.DestroySessionAsync(sessionId.ToString());
            return true;
        }
        catch (Berth.Client.BerthApiException e)
        {
            snackbar.Add("Terminate failed: " + e.Message, Severity.Error);
            return false;
        }
    }
}
