using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Berth.Web.Tests.Pages;

/// <summary>The admin pages (/admin/TAB): one tab per area; forms found by their labels, table rows by "User EMAIL", "Agent ID" ….</summary>
public sealed class AdminPages(IPage page, Uri console) : ConsoleLayout(page)
{
    public async Task GotoAsync(string tab)
    {
        await Page.GotoAsync(new Uri(console, "/admin/" + tab).ToString());
        await Page.GetByRole(AriaRole.Heading, new() { Name = "Admin", Exact = true }).WaitForAsync();
        // Prerendered first: clicks before the circuit is up do nothing (the layout marks itself data-interactive).
        await Page.Locator("[data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    public ILocator Tab(string title) => Page.GetByRole(AriaRole.Tab, new() { Name = title, Exact = true });
    public ILocator AdminOnly => Page.GetByText("Admins only");
    public ILocator Field(string label) => Page.GetByLabel(label, new() { Exact = true });
    public ILocator Button(string name) => Page.GetByRole(AriaRole.Button, new() { Name = name, Exact = true });
    public ILocator Row(string name) => Page.GetByRole(AriaRole.Row, new() { Name = name, Exact = true });
    public ILocator Notice => Page.GetByRole(AriaRole.Status).Filter(new() { HasNotText = "Updated" });
    public ILocator Problem => Page.GetByRole(AriaRole.Alert);

    /// <summary>Opens a select by its label and picks the entry with exactly this text.</summary>
    public async Task ChooseAsync(string label, string option)
    {
        await Field(label).ClickAsync();
        await Page.GetByRole(AriaRole.Option, new() { Name = option, Exact = true }).ClickAsync();
    }

    /// <summary>Clicks and waits for the success notice that names <paramref name="expected"/>.</summary>
    public async Task SubmitAsync(string button, string expected)
    {
        await Button(button).ClickAsync();
        await Notice.Filter(new() { HasText = expected }).WaitForAsync(new() { Timeout = 15_000 });
    }

    // ---- users --------------------------------------------------------------------------------------

    public async Task CreateUserAsync(string email, string password)
    {
        await Field("New user's email").FillAsync(email);
        await Field("Initial password").FillAsync(password);
        await SubmitAsync("Create user", "Created user " + email);
    }

    /// <summary>Opens the panel of one user (role, password, deactivate).</summary>
    public async Task ManageAsync(string email)
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "Manage " + email, Exact = true }).ClickAsync();
        await Page.GetByRole(AriaRole.Region, new() { Name = "Manage " + email, Exact = true }).WaitForAsync();
    }

    // ---- resource groups and presets -----------------------------------------------------------------

    public async Task CreateGroupAsync(string name, string description)
    {
        await Field("Group name").FillAsync(name);
        await Field("Group description").FillAsync(description);
        await SubmitAsync("Create group", "Saved resource group " + name);
    }

    public async Task GrantGroupAsync(string group, string? email = null, string? project = null)
    {
        await ChooseAsync("Group to grant", group);
        if (email is not null) await Field("To user (email)").FillAsync(email);
        if (project is not null) await Field("Or to project").FillAsync(project);
        await SubmitAsync("Grant", "Granted " + group);
    }

    public async Task SavePresetAsync(string name, string group, string cpu, string memoryMiB)
    {
        await Field("Preset name").FillAsync(name);
        await ChooseAsync("Offered in", group);
        await Field("CPU cores").FillAsync(cpu);
        await Field("Memory (MiB)").FillAsync(memoryMiB);
        await SubmitAsync("Save preset", "Saved preset " + name);
    }

    public static Regex Exactly(string text) => new("^" + Regex.Escape(text) + "$");
}
