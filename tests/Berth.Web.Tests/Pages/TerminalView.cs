using Microsoft.Playwright;

namespace Berth.Web.Tests.Pages;

/// <summary>
/// The manager's xterm.js terminal page, in the console's terminal dialog (a frame) or in a tab of its own. xterm's
/// DOM renderer draws one row element per terminal row, so the rows' text is the screen.
/// </summary>
public sealed class TerminalView(IPage page, IFrameLocator? frame = null)
{
    private ILocator Find(string selector) => frame is null ? page.Locator(selector) : frame.Locator(selector);

    /// <summary>xterm's own input (it names it "Terminal input"); focused once the page's socket is open.</summary>
    public ILocator Input => frame is null
        ? page.GetByRole(AriaRole.Textbox, new() { Name = "Terminal input" })
        : frame.GetByRole(AriaRole.Textbox, new() { Name = "Terminal input" });

    public ILocator Screen => Find(".xterm-rows");
    public ILocator Rows => Find(".xterm-rows > div");

    /// <summary>The terminal dialog opened from the detail panel ("Terminal"), for the session.</summary>
    public static async Task<(ILocator Dialog, TerminalView Terminal)> OpenFromDetailAsync(IPage page, string session)
    {
        await page.GetByRole(AriaRole.Region, new() { Name = "Session details" }).GetByRole(AriaRole.Button, new() { Name = "Terminal", Exact = true }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = "Terminal: " + session });
        await dialog.WaitForAsync();
        var view = new TerminalView(page, dialog.FrameLocator($"iframe[title=\"Terminal of {session}\"]"));
        await view.WaitConnectedAsync();
        return (dialog, view);
    }

    /// <summary>terminal.js focuses the terminal when its socket opens: from then on keystrokes reach the shell.</summary>
    public async Task WaitConnectedAsync() => await Assertions.Expect(Input).ToBeFocusedAsync(new() { Timeout = 30_000 });

    /// <summary>Types a command line and presses Enter.</summary>
    public async Task RunAsync(string command)
    {
        await Input.PressSequentiallyAsync(command);
        await Input.PressAsync("Enter");
    }
}
