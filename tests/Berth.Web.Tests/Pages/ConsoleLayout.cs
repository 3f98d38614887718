using Microsoft.Playwright;

namespace Berth.Web.Tests.Pages;

/// <summary>What every signed-in screen has: the app bar with the theme switch, notifications and the user menu.</summary>
public class ConsoleLayout(IPage page)
{
    public IPage Page => page;

    public ILocator UserMenu => page.GetByRole(AriaRole.Button, new() { Name = "User menu" });
    public ILocator Notifications => page.GetByRole(AriaRole.Button, new() { Name = "Notifications" });
    public ILocator ThemeSwitch => page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Switch to (dark|light) theme$") });

    /// <summary>The toast of a session created while the console is open (its status and its actions).</summary>
    public ILocator Toast(string session) => page.GetByRole(AriaRole.Group, new() { Name = "Session " + session, Exact = true });

    /// <summary>A session's entry in the open notifications menu.</summary>
    public ILocator Notification(string session) => page.GetByRole(AriaRole.Group, new() { Name = "Notification: session " + session, Exact = true });

    /// <summary>A session's action button (App launcher, Terminal, Logs, Terminate) inside a toast or a notification.</summary>
    public static ILocator Action(ILocator toastOrNotification, string action) =>
        toastOrNotification.GetByRole(AriaRole.Button, new() { Name = action, Exact = true });

    /// <summary>Shown in the app bar while the console has lost the manager's event stream.</summary>
    public ILocator Reconnecting => page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Reconnecting" });

    /// <summary>A dialog the console opened, by its title.</summary>
    public ILocator Dialog(string title) => page.GetByRole(AriaRole.Dialog, new() { Name = title });

    public async Task SignOutAsync()
    {
        await UserMenu.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/signin");
    }
}
