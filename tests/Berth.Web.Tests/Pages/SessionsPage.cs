using Microsoft.Playwright;

namespace Berth.Web.Tests.Pages;

/// <summary>The Sessions page (the console's home).</summary>
public sealed class SessionsPage(IPage page, Uri console) : ConsoleLayout(page)
{
    public async Task GotoAsync()
    {
        await Page.GotoAsync(new Uri(console, "/").ToString());
        await WaitReadyAsync();
    }

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Name = "Sessions", Exact = true });
    public ILocator StartButton => Page.GetByRole(AriaRole.Link, new() { Name = "Start" });

    /// <summary>The heading renders once the circuit has read the user's sessions.</summary>
    public async Task WaitReadyAsync() => await Heading.WaitForAsync();
}
