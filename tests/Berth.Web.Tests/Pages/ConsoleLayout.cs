using Microsoft.Playwright;

namespace Berth.Web.Tests.Pages;

/// <summary>What every signed-in screen has: the app bar with the theme switch, notifications and the user menu.</summary>
public class ConsoleLayout(IPage page)
{
    public IPage Page => page;

    public ILocator UserMenu => page.GetByRole(AriaRole.Button, new() { Name = "User menu" });
    public ILocator Notifications => page.GetByRole(AriaRole.Button, new() { Name = "Notifications" });
    public ILocator ThemeSwitch => page.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Switch to (dark|light) theme$") });

    public async Task SignOutAsync()
    {
        await UserMenu.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/signin");
    }
}
