using Microsoft.Playwright;

namespace Berth.Web.Tests.Pages;

/// <summary>The session detail panel's parts: kernels with their logs, live usage, commit to image.</summary>
public sealed class SessionPanel(IPage page)
{
    public ILocator Region => page.GetByRole(AriaRole.Region, new() { Name = "Session details" });
    public ILocator Button(string name) => Region.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });
    public ILocator KernelLogs(string kernel) => Button("Logs of " + kernel);
    public ILocator Usage => Region.GetByRole(AriaRole.Region, new() { Name = "Live usage" });

    /// <summary>The logs dialog, by its title (<c>Logs: NAME</c>, with <c> · KERNEL</c> when opened from the kernel list).</summary>
    public ILocator LogsDialog(string title) => page.GetByRole(AriaRole.Dialog, new() { Name = "Logs: " + title });
    public ILocator CommitDialog => page.GetByRole(AriaRole.Dialog, new() { Name = "Commit to image" });
}
