using Microsoft.Playwright;

namespace Berth.Web.Tests.Pages;

/// <summary>The session launcher (/launch): five steps with Next/Previous, a review card per step, recent launches.</summary>
public sealed class LauncherPage(IPage page, Uri console) : ConsoleLayout(page)
{
    public async Task GotoAsync(string query = "")
    {
        await Page.GotoAsync(new Uri(console, "/launch" + query).ToString());
        await Page.GetByRole(AriaRole.Heading, new() { NameRegex = new("^Step \\d of 5") }).WaitForAsync();
        // Prerendered first: clicks before the circuit is up do nothing (the layout marks itself data-interactive).
        await Page.Locator("[data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
    }

    public ILocator StepHeading(int step) => Page.GetByRole(AriaRole.Heading, new() { NameRegex = new($"^Step {step} of 5") });
    public ILocator Next => Page.GetByRole(AriaRole.Button, new() { Name = "Next", Exact = true });
    public ILocator Previous => Page.GetByRole(AriaRole.Button, new() { Name = "Previous", Exact = true });
    public ILocator SkipToReview => Page.GetByRole(AriaRole.Button, new() { Name = "Skip to review" });
    public ILocator Launch => Page.GetByRole(AriaRole.Button, new() { Name = "Launch", Exact = true });
    public ILocator LaunchWithoutFolders => Page.GetByRole(AriaRole.Button, new() { Name = "Launch without folders" });

    public async Task NextAsync(int expectedStep)
    {
        await Next.ClickAsync();
        await StepHeading(expectedStep).WaitForAsync();
    }

    // Step 1
    public ILocator Interactive => Page.GetByRole(AriaRole.Radio, new() { Name = "Interactive" });
    public ILocator Batch => Page.GetByRole(AriaRole.Radio, new() { Name = "Batch" });
    public ILocator SessionName => Page.GetByLabel("Session name");
    public ILocator StartupCommand => Page.GetByLabel("Startup command");
    public ILocator ScheduledStart => Page.GetByLabel("Scheduled start (UTC)");
    public ILocator MaxRunTime => Page.GetByLabel("Maximum run time (seconds)");
    public ILocator OnBehalf => Page.GetByLabel("Launch on behalf of another user");
    public ILocator OwnerEmail => Page.GetByLabel("User's email");

    /// <summary>An entry of the open select or autocomplete list.</summary>
    public ILocator Option(string text) => Page.GetByRole(AriaRole.Option, new() { Name = text, Exact = true });
    public ILocator Option(System.Text.RegularExpressions.Regex text) => Page.GetByRole(AriaRole.Option, new() { NameRegex = text });

    // Step 2
    public ILocator Environment(string image) => Page.GetByRole(AriaRole.Radio, new() { NameRegex = new($"^{image} ") });
    public ILocator Cpu => Page.GetByLabel("CPU", new() { Exact = true });
    public ILocator Memory => Page.GetByLabel("Memory", new() { Exact = true });
    public ILocator SharedMemory => Page.GetByLabel("Shared memory", new() { Exact = true });
    /// <summary>The range input beside a resource field; its accessible description says what remains.</summary>
    public ILocator Slider(string resource) => Page.GetByRole(AriaRole.Slider, new() { Name = $"{resource} slider", Exact = true });
    public ILocator Preset => Page.GetByLabel("Resource preset");
    public ILocator HpcThreads => Page.GetByLabel("HPC threads");
    public ILocator NumberOfSessions => Page.GetByLabel("Number of sessions");
    public ILocator Agent => Page.GetByLabel("Agent", new() { Exact = true });
    public ILocator AddVariable => Page.GetByRole(AriaRole.Button, new() { Name = "Add variable" });
    public ILocator VariableName(int n) => Page.GetByLabel($"Variable {n} name");
    public ILocator VariableValue(int n) => Page.GetByLabel($"Variable {n} value");

    public async Task AddVariableAsync(int n, string name, string value)
    {
        await AddVariable.ClickAsync();
        await VariableName(n).FillAsync(name);
        await VariableValue(n).FillAsync(value);
    }

    // Step 3
    public ILocator NewFolder => Page.GetByRole(AriaRole.Button, new() { Name = "New folder" });
    public ILocator MountCheckbox(string folder) => Page.GetByRole(AriaRole.Checkbox, new() { Name = $"Mount {folder}" });
    public ILocator MountPath(string folder) => Page.GetByLabel($"Mount path for {folder}");

    public async Task CreateFolderAsync(string name)
    {
        await NewFolder.ClickAsync();
        await Page.GetByLabel("New folder name").FillAsync(name);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create and select" }).ClickAsync();
        await MountPath(name).WaitForAsync();
    }

    // Step 4
    public ILocator PreopenPorts => Page.GetByLabel("Preopen ports");

    // Step 5
    public ILocator ReviewCard(string title) => Page.GetByRole(AriaRole.Region, new() { Name = title, Exact = true });
    public ILocator CardErrors(string title) => ReviewCard(title).GetByRole(AriaRole.Alert);

    public ILocator RecentLaunches => Page.GetByRole(AriaRole.Region, new() { Name = "Recent launches" });
}
