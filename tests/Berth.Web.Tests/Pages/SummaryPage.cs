using Microsoft.Playwright;

namespace Berth.Web.Tests.Pages;

/// <summary>The Summary page (the console's "/"): the use card's meters, the free-capacity table and the two session lists.</summary>
public sealed class SummaryPage(IPage page, Uri console)
{
    public IPage Page => page;

    public async Task GotoAsync()
    {
        await page.GotoAsync(new Uri(console, "/").ToString());
        await page.GetByRole(AriaRole.Heading, new() { Name = "Summary" }).WaitForAsync();
    }

    /// <summary>The words of one meter ("Sessions", "CPU", "Memory", "GPU"), e.g. "1 of 3".</summary>
    public ILocator Meter(string label) =>
        page.GetByRole(AriaRole.Group, new() { Name = $"{label} use", Exact = true }).Locator($"[data-meter='{label}']");

    public ILocator Bar(string label) => page.GetByRole(AriaRole.Group, new() { Name = $"{label} use", Exact = true }).GetByRole(AriaRole.Progressbar);

    public ILocator Group(string name) =>
        page.GetByRole(AriaRole.Region, new() { Name = "Free capacity" }).GetByRole(AriaRole.Row, new() { Name = $"Group {name}" });

    public ILocator Running => page.GetByRole(AriaRole.Region, new() { Name = "Running sessions" });
    public ILocator Recent => page.GetByRole(AriaRole.Region, new() { Name = "Recent sessions" });

    public ILocator SessionIn(ILocator list, string name) => list.GetByRole(AriaRole.Row, new() { Name = $"Session {name}" });
}
