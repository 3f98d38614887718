using Berth.Core.Contracts;
using MudBlazor;

namespace Berth.Web.Components.Sessions;

/// <summary>The detail panel's "App launcher" and "Terminal" dialogs, opened for one RUNNING session.</summary>
public static class SessionAppDialogs
{
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
