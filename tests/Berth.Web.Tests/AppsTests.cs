using Berth.Core.Contracts;
using Berth.Integration.Tests.Infrastructure;
using Berth.Web.Tests.Infrastructure;
using Berth.Web.Tests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.Web.Tests;

/// <summary>Issue 12's apps and terminal in the browser: the app launcher's tiles (Jupyter runs 1+1) and the detail panel's terminal.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AppsTests(ConsoleFixture fixture)
{
    private const string Password = "violet-otter-quietly";

    [Fact]
    public async Task Jupyter_opens_from_the_app_launcher_in_a_new_tab_and_runs_1_plus_1()
    {
        Assert.True(fixture.Berth.HasPythonImage, "the python image is missing: scripts/test builds it (or run `./berth image build python`)");
        var (email, cli) = await fixture.Berth.NewUserAsync("web-jupyter");
        using var api = fixture.Berth.ClientFor(cli);
        var name = BerthFixture.UniqueName("wjup");
        await api.CreateSessionAsync(new CreateSessionRequest("python", name, StartupCommand: null));
        await fixture.Chromium.RunAsync(nameof(Jupyter_opens_from_the_app_launcher_in_a_new_tab_and_runs_1_plus_1), async context =>
        {
            var page = await context.NewPageAsync();
            var sessions = await new SignInPage(page, fixture.Console).SignInAsync(email, Password);
            await Expect(sessions.Row(name)).ToContainTextAsync("RUNNING", new() { Timeout = 120_000 });
            await sessions.OpenDetailAsync(name);
            var launcher = await AppLauncherDialogPage.OpenAsync(page, name);

            // The manager starts Jupyter on the first open and answers once it listens (Apps:ServiceStartTimeout, 30 s).
            var jupyter = await launcher.OpenAppAsync("Jupyter Notebook", TimeSpan.FromSeconds(90));
            await Expect(launcher.Status).ToContainTextAsync("Opened Jupyter Notebook in a new tab");

            // Jupyter Notebook 6 (Debian's): New → Python 3 opens the notebook in another tab.
            // Jupyter's own page, found by its own ids (its controls are its business, not the console's).
            await jupyter.Locator("#new-dropdown-button").ClickAsync(new() { Timeout = 60_000 });
            var notebookTab = context.WaitForPageAsync(new() { Timeout = 60_000 });
            await jupyter.Locator("#kernel-python3 a").ClickAsync();
            var notebook = await notebookTab;
            await notebook.Locator(".kernel_idle_icon").WaitForAsync(new() { Timeout = 90_000, State = WaitForSelectorState.Attached });
            await notebook.Locator(".CodeMirror").First.ClickAsync();
            await notebook.Keyboard.TypeAsync("1+1");
            await notebook.Keyboard.PressAsync("Shift+Enter");
            var result = notebook.Locator(".output_result").First;
            await Expect(result).ToHaveTextAsync("2", new() { Timeout = 60_000 });
            await Screens.SaveAsync(notebook, "apps-jupyter-1-plus-1");
        });
        await api.DestroySessionAsync(name);
    }

    [Fact]
    public async Task Terminal_opens_from_the_detail_panel_runs_a_command_and_follows_the_window_size()
    {
        var (email, cli) = await fixture.Berth.NewUserAsync("web-term");
        using var api = fixture.Berth.ClientFor(cli);
        var name = BerthFixture.UniqueName("wterm");
        await api.CreateSessionAsync(new CreateSessionRequest("minimal", name, StartupCommand: null));
        await fixture.Chromium.RunAsync(nameof(Terminal_opens_from_the_detail_panel_runs_a_command_and_follows_the_window_size), async context =>
        {
            var page = await context.NewPageAsync();
            await page.SetViewportSizeAsync(1280, 900);
            var sessions = await new SignInPage(page, fixture.Console).SignInAsync(email, Password);
            await Expect(sessions.Row(name)).ToContainTextAsync("RUNNING", new() { Timeout = 60_000 });
            await sessions.OpenDetailAsync(name);

            var (dialog, terminal) = await TerminalView.OpenFromDetailAsync(page, name);
            // The shell computes it: the typed line reads hi-$((6*7)), only its output reads hi-42.
            await terminal.RunAsync("echo hi-$((6*7))");
            await Expect(terminal.Screen).ToContainTextAsync("hi-42");
            await Screens.SaveAsync(page, "apps-terminal-dialog");

            // A shorter window: the frame shrinks, the page fits xterm to it and tells the shell its new size.
            var tall = await terminal.Rows.CountAsync();
            await page.SetViewportSizeAsync(1280, 600);
            await Expect(terminal.Rows).Not.ToHaveCountAsync(tall);
            var rows = await terminal.Rows.CountAsync();
            Assert.True(rows < tall, $"the terminal has {rows} rows in a shorter window, {tall} before");
            await terminal.RunAsync("echo rows-$(stty size | cut -d' ' -f1)-seen");
            await Expect(terminal.Screen).ToContainTextAsync($"rows-{rows}-seen");

            // The same terminal in a tab of its own.
            var tabOpened = context.WaitForPageAsync();
            await dialog.GetByRole(AriaRole.Button, new() { Name = "Open in new tab" }).ClickAsync();
            var tab = new TerminalView(await tabOpened);
            await tab.WaitConnectedAsync();
            await tab.RunAsync("echo tab-$((2+3))");
            await Expect(tab.Screen).ToContainTextAsync("tab-5");
        });
        await api.DestroySessionAsync(name);
    }

    [Fact]
    public async Task App_launcher_offers_a_tile_per_app_checks_its_options_and_passes_axe()
    {
        var (email, cli) = await fixture.Berth.NewUserAsync("web-apps");
        using var api = fixture.Berth.ClientFor(cli);
        var name = BerthFixture.UniqueName("wapps");
        await api.CreateSessionAsync(new CreateSessionRequest("minimal", name, StartupCommand: null, PreopenPorts: [8080]));
        await fixture.Chromium.RunAsync(nameof(App_launcher_offers_a_tile_per_app_checks_its_options_and_passes_axe), async context =>
        {
            var page = await context.NewPageAsync();
            await page.SetViewportSizeAsync(1280, 900);
            var sessions = await new SignInPage(page, fixture.Console).SignInAsync(email, Password);
            await Expect(sessions.Row(name)).ToContainTextAsync("RUNNING", new() { Timeout = 60_000 });
            await sessions.OpenDetailAsync(name);
            var launcher = await AppLauncherDialogPage.OpenAsync(page, name);

            // What the API lists: the preopened port, then the built-in terminal.
            await Expect(launcher.Tiles).ToHaveCountAsync(2);
            await Expect(launcher.Tile("Port 8080")).ToBeEnabledAsync();
            await Expect(launcher.Tile("Terminal")).ToBeEnabledAsync();
            await Screens.SaveAsync(page, "apps-launcher");
            var violations = await Axe.SeriousViolationsAsync(page);
            Assert.True(violations.Count == 0, string.Join("\n", violations));

            // The API's rules in the form: a terminal is never public, a preferred port is 1024–65535.
            await launcher.OpenToPublic.CheckAsync();
            await Expect(launcher.Tile("Terminal")).ToBeDisabledAsync();
            await Expect(launcher.Tile("Port 8080")).ToBeEnabledAsync();
            await launcher.OpenToPublic.UncheckAsync();
            await launcher.PreferredPort.FillAsync("80");
            await Expect(launcher.Dialog).ToContainTextAsync("A preferred port is within 1024–65535.");
            await Expect(launcher.Tile("Port 8080")).ToBeDisabledAsync();
            await launcher.PreferredPort.FillAsync("");
            await Expect(launcher.Tile("Port 8080")).ToBeEnabledAsync();

            // The terminal tile opens it through the app proxy, in a tab of its own.
            var tab = new TerminalView(await launcher.OpenAppAsync("Terminal", TimeSpan.FromSeconds(30)));
            await tab.WaitConnectedAsync();
            await tab.RunAsync("echo proxied-$((40+2))");
            await Expect(tab.Screen).ToContainTextAsync("proxied-42");
        });
        await api.DestroySessionAsync(name);
    }
}
