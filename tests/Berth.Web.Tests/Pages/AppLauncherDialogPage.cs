using Microsoft.Playwright;

namespace Berth.Web.Tests.Pages;

/// <summary>The detail panel's app launcher: a tile (button "Open TITLE") per app, and the open options.</summary>
public sealed class AppLauncherDialogPage(IPage page, string session)
{
    public ILocator Dialog => page.GetByRole(AriaRole.Dialog, new() { Name = "Apps: " + session });
    public ILocator Tile(string title) => Dialog.GetByRole(AriaRole.Button, new() { Name = "Open " + title, Exact = true });
    public ILocator Tiles => Dialog.GetByRole(AriaRole.List, new() { Name = "Apps" }).GetByRole(AriaRole.Button);
    public ILocator OpenToPublic => Dialog.GetByLabel("Open to public");
    public ILocator PreferredPort => Dialog.GetByLabel("Preferred port");
    public ILocator Status => Dialog.GetByRole(AriaRole.Status);
    public ILocator Close => Dialog.GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true });

    /// <summary>Opens the launcher from the detail panel (its "App launcher" button) and waits for its tiles.</summary>
    public static async Task<AppLauncherDialogPage> OpenAsync(IPage page, string session)
    {
        await page.GetByRole(AriaRole.Region, new() { Name = "Session details" }).GetByRole(AriaRole.Button, new() { Name = "App launcher" }).ClickAsync();
        var dialog = new AppLauncherDialogPage(page, session);
        await dialog.Tiles.First.WaitForAsync();
        return dialog;
    }

    /// <summary>Chooses a tile and returns the tab the console opened for the app (the manager may first start it: bounded by <paramref name="timeout"/>).</summary>
    public async Task<IPage> OpenAppAsync(string title, TimeSpan timeout)
    {
        var tab = page.Context.WaitForPageAsync(new() { Timeout = (float)timeout.TotalMilliseconds });
        await Tile(title).ClickAsync();
        return await tab;
    }
}
