using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Berth.Web.Tests.Pages;

/// <summary>The Sessions page (the console's home): tabs, filters, the table and the detail panel.</summary>
public sealed class SessionsPage(IPage page, Uri console) : ConsoleLayout(page)
{
    public async Task GotoAsync()
    {
        await Page.GotoAsync(new Uri(console, "/sessions").ToString());
        await WaitReadyAsync();
    }

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "Sessions", Exact = true });
    public ILocator StartButton => Page.GetByRole(AriaRole.Link, new() { Name = "Start" });
    public ILocator RunningTab => Page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex("^Running") });
    public ILocator FinishedTab => Page.GetByRole(AriaRole.Tab, new() { NameRegex = new Regex("^Finished") });
    public ILocator NameFilter => Page.GetByLabel("Filter by name");
    public ILocator OwnerColumn => Page.GetByRole(AriaRole.Columnheader, new() { Name = "Owner" });

    /// <summary>The table row of a session, found by the session's name.</summary>
    public ILocator Row(string session) => Page.GetByRole(AriaRole.Row).Filter(new() { HasText = session });

    /// <summary>Opens the detail panel by clicking the session's name.</summary>
    public async Task<ILocator> OpenDetailAsync(string session)
    {
        await Row(session).GetByText(session, new() { Exact = true }).First.ClickAsync();
        var panel = Page.Locator(".mud-drawer").Filter(new() { HasText = session });
        await panel.First.WaitForAsync();
        return panel.First;
    }

    /// <summary>
    /// The page is prerendered before its circuit connects; clicks before then do nothing. The layout marks
    /// itself <c>data-interactive</c> after its first interactive render.
    /// </summary>
    public async Task WaitReadyAsync()
    {
        await Heading.WaitForAsync();
        await Page.Locator("[data-interactive=true]").WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Attached });
    }
}
