using Berth.Client;
using Berth.Core.Contracts;
using Berth.Integration.Tests.Infrastructure;
using Berth.Web.Tests.Infrastructure;
using Berth.Web.Tests.Pages;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.Web.Tests;

/// <summary>Issue 12's launcher, driven in Chromium against a real server, agent and Docker (seed: starting a session, then its terminal).</summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class LauncherTests(ConsoleFixture fixture)
{
    private const string Password = "violet-otter-quietly";

    [Fact]
    public async Task Seed_walkthrough_launches_with_two_folders_created_through_plus_and_the_file_written_in_its_terminal_comes_back_through_the_api()
    {
        var (email, cli) = await fixture.Berth.NewUserAsync("web-launch");
        using var api = fixture.Berth.ClientFor(cli);
        var name = Berth.Integration.Tests.Infrastructure.BerthFixture.UniqueName("walk");

        await fixture.Chromium.RunAsync(nameof(Seed_walkthrough_launches_with_two_folders_created_through_plus_and_the_file_written_in_its_terminal_comes_back_through_the_api), async context =>
        {
            var page = await context.NewPageAsync();
            await page.SetViewportSizeAsync(1280, 900);
            await new SignInPage(page, fixture.Console).SignInAsync(email, Password);
            var launcher = new LauncherPage(page, fixture.Console);
            await launcher.GotoAsync();

            // 1: interactive, named.
            await launcher.StepHeading(1).WaitForAsync();
            Assert.True(await launcher.Interactive.IsCheckedAsync());
            await launcher.SessionName.FillAsync(name);
            await Screens.SaveAsync(page, "launcher-1-type");
            await AssertAccessibleAsync(page);
            await launcher.NextAsync(2);

            // 2: the minimal image, small resources.
            await launcher.Environment("minimal").CheckAsync();
            await launcher.Cpu.FillAsync("0.5");
            await launcher.Memory.FillAsync("256m");
            await Screens.SaveAsync(page, "launcher-2-environment");
            await AssertAccessibleAsync(page);
            await launcher.NextAsync(3);

            // 3: both folders made with '+', each selected on creation; one at /workspace, one at the default path.
            await launcher.CreateFolderAsync("user1-ml-test");
            await launcher.CreateFolderAsync("user2-vfolder");
            Assert.True(await launcher.MountCheckbox("user1-ml-test").IsCheckedAsync());
            Assert.True(await launcher.MountCheckbox("user2-vfolder").IsCheckedAsync());
            await launcher.MountPath("user1-ml-test").FillAsync("/workspace");
            await Screens.SaveAsync(page, "launcher-3-folders");
            await AssertAccessibleAsync(page);
            await launcher.NextAsync(4);
            await Screens.SaveAsync(page, "launcher-4-network");
            await launcher.NextAsync(5);

            // 5: every card clean; the URL holds the form (bookmarkable).
            Assert.Contains("/workspace", await launcher.ReviewCard("Data and folders").InnerTextAsync());
            Assert.Contains("/home/work/user2-vfolder", await launcher.ReviewCard("Data and folders").InnerTextAsync());
            Assert.Contains("mount=user1-ml-test%3A%2Fworkspace", page.Url);
            Assert.Contains("name=" + name, page.Url);
            await Screens.SaveAsync(page, "launcher-5-review");
            await AssertAccessibleAsync(page);
            Assert.True(await launcher.Launch.IsEnabledAsync());

            await using var running = WaitForStatusAsync(api, name, "RUNNING");
            await launcher.Launch.ClickAsync();
            await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/sessions");
            await running.Task.WaitAsync(TimeSpan.FromMinutes(3));

            // The seed's checks in the session's own shell: the terminal from the detail panel. Rows are matched whole,
            // so the typed command line (which names the same paths) does not count as the answer.
            var sessions = new SessionsPage(page, fixture.Console);
            await Expect(sessions.Row(name)).ToContainTextAsync("RUNNING");
            await sessions.OpenDetailAsync(name);
            var (_, terminal) = await TerminalView.OpenFromDetailAsync(page, name);
            await terminal.RunAsync("ls -1d /workspace /home/work/user2-vfolder && echo listed-$((1+1))");
            await Expect(terminal.Screen).ToContainTextAsync("listed-2");
            await Expect(terminal.Rows.Filter(new() { HasTextRegex = new Regex(@"^\s*/workspace\s*$") })).ToHaveCountAsync(1);
            await Expect(terminal.Rows.Filter(new() { HasTextRegex = new Regex(@"^\s*/home/work/user2-vfolder\s*$") })).ToHaveCountAsync(1);
            await terminal.RunAsync("echo 'file inside user2-vfolder' > /home/work/user2-vfolder/test_file && echo wrote-$((2+2))");
            await Expect(terminal.Screen).ToContainTextAsync("wrote-4");
        });

        var session = await api.GetSessionAsync(name);
        Assert.Equal("RUNNING", session.Status);
        Assert.Contains(session.Mounts, m => m.Folder == "user1-ml-test" && m.Path == "/workspace");
        Assert.Contains(session.Mounts, m => m.Folder == "user2-vfolder" && m.Path == "/home/work/user2-vfolder");

        await api.DestroySessionAsync(name);

        var local = Path.Combine(Directory.CreateTempSubdirectory("berth-launcher-").FullName, "test_file");
        await api.DownloadAsync("user2-vfolder", "test_file", local);
        Assert.Equal("file inside user2-vfolder\n", await File.ReadAllTextAsync(local));

        // The launch is remembered, and choosing it refills the launcher at its review step.
        var entry = Assert.Single(await api.ListLaunchHistoryAsync());
        Assert.Equal(name, entry.SessionName);
        await fixture.Chromium.RunAsync("Launcher_history_refills", async context =>
        {
            var page = await context.NewPageAsync();
            await new SignInPage(page, fixture.Console).SignInAsync(email, Password);
            var launcher = new LauncherPage(page, fixture.Console);
            await launcher.GotoAsync();
            // Renamed and pinned in the panel, as the manager then reports.
            await launcher.RecentLaunches.GetByRole(AriaRole.Button, new() { Name = $"Rename {name}" }).ClickAsync();
            await launcher.RecentLaunches.GetByLabel($"Title for {name}").FillAsync("seed walkthrough");
            await launcher.RecentLaunches.GetByRole(AriaRole.Button, new() { Name = "Save title" }).ClickAsync();
            await launcher.RecentLaunches.GetByRole(AriaRole.Button, new() { Name = "Pin seed walkthrough" }).ClickAsync();
            await launcher.RecentLaunches.GetByRole(AriaRole.Button, new() { Name = "Unpin seed walkthrough" }).WaitForAsync();
            var renamed = Assert.Single(await api.ListLaunchHistoryAsync());
            Assert.Equal("seed walkthrough", renamed.Title);
            Assert.True(renamed.Pinned);

            await launcher.RecentLaunches.GetByRole(AriaRole.Button, new() { Name = "Use seed walkthrough" }).ClickAsync();
            await launcher.StepHeading(5).WaitForAsync();
            Assert.Contains("/workspace", await launcher.ReviewCard("Data and folders").InnerTextAsync());
            Assert.Contains(name, await launcher.ReviewCard("Session type").InnerTextAsync());
        });
    }

    [Fact]
    public async Task Invalid_launch_names_field_and_reason_on_its_review_card_and_cannot_be_launched()
    {
        var (email, cli) = await fixture.Berth.NewUserAsync("web-invalid");
        using (var api = fixture.Berth.ClientFor(cli))
            await api.CreateVFolderAsync(new CreateVFolderRequest("data"));
        await fixture.Chromium.RunAsync(nameof(Invalid_launch_names_field_and_reason_on_its_review_card_and_cannot_be_launched), async context =>
        {
            var page = await context.NewPageAsync();
            await new SignInPage(page, fixture.Console).SignInAsync(email, Password);
            var launcher = new LauncherPage(page, fixture.Console);
            // Straight from a shared URL: shared memory above memory, a folder at /home/work itself (reserved), and port 80.
            await launcher.GotoAsync("?step=5&type=interactive&image=minimal&mem=256m&shmem=512m&mount=data:%2Fhome%2Fwork&ports=80");
            await launcher.StepHeading(5).WaitForAsync();

            var resources = await launcher.ReviewCard("Environment and resources").InnerTextAsync();
            Assert.Contains("resources.shmemBytes", resources);
            var folders = await launcher.ReviewCard("Data and folders").InnerTextAsync();
            Assert.Contains("mounts[0].path", folders);
            Assert.Contains("home directory itself", folders);
            var network = await launcher.ReviewCard("Network").InnerTextAsync();
            Assert.Contains("preopenPorts[0]", network);
            Assert.Contains("1024", network);
            Assert.False(await launcher.Launch.IsEnabledAsync());
            await Screens.SaveAsync(page, "launcher-5-review-errors");

            // Edit leads back to the step; fixing both enables Launch, and launching without a folder asks first.
            await launcher.ReviewCard("Environment and resources").GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
            await launcher.StepHeading(2).WaitForAsync();
            await launcher.SharedMemory.FillAsync("64m");
            await launcher.SkipToReview.ClickAsync();
            // /bin is a system directory: still refused, under the same field.
            await launcher.ReviewCard("Data and folders").GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
            await launcher.StepHeading(3).WaitForAsync();
            await launcher.MountPath("data").FillAsync("/bin");
            await launcher.SkipToReview.ClickAsync();
            Assert.Contains("system directory /bin", await launcher.ReviewCard("Data and folders").InnerTextAsync());
            await launcher.ReviewCard("Data and folders").GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
            await launcher.MountCheckbox("data").UncheckAsync();
            await launcher.SkipToReview.ClickAsync();
            await launcher.ReviewCard("Network").GetByRole(AriaRole.Button, new() { Name = "Edit" }).ClickAsync();
            await launcher.PreopenPorts.FillAsync("8080");
            await launcher.SkipToReview.ClickAsync();
            await launcher.StepHeading(5).WaitForAsync();
            Assert.True(await launcher.Launch.IsEnabledAsync());
            await launcher.Launch.ClickAsync();
            await launcher.LaunchWithoutFolders.WaitForAsync();
            Assert.Equal("/launch", new Uri(page.Url).AbsolutePath); // nothing launched yet
        });
    }

    [Fact]
    public async Task Batch_launch_with_command_variables_and_max_run_time_ends_by_itself_and_its_detail_shows_exit_code_and_variable()
    {
        var (email, cli) = await fixture.Berth.NewUserAsync("web-batch");
        using var api = fixture.Berth.ClientFor(cli);
        var name = Berth.Integration.Tests.Infrastructure.BerthFixture.UniqueName("batch");

        await fixture.Chromium.RunAsync(nameof(Batch_launch_with_command_variables_and_max_run_time_ends_by_itself_and_its_detail_shows_exit_code_and_variable), async context =>
        {
            var page = await context.NewPageAsync();
            await page.SetViewportSizeAsync(1280, 900);
            await new SignInPage(page, fixture.Console).SignInAsync(email, Password);
            var launcher = new LauncherPage(page, fixture.Console);
            await launcher.GotoAsync();

            // 1: batch; the exit code (3) only comes out if the variable reached the container.
            await launcher.Batch.CheckAsync();
            await launcher.StartupCommand.FillAsync("test \"$GREETING\" = hello && exit 3");
            await launcher.MaxRunTime.FillAsync("300");
            await launcher.SessionName.FillAsync(name);
            await AssertAccessibleAsync(page);
            await launcher.NextAsync(2);

            // 2: minimal image; the CPU slider says what remains and sets the field; one plain and one secret variable.
            await launcher.Environment("minimal").CheckAsync();
            await Expect(launcher.Slider("CPU")).ToHaveAccessibleDescriptionAsync(new Regex(@"^You: .*group default: \d+(\.\d+)? free \(at most \d"));
            await Expect(launcher.Slider("Memory")).ToHaveAccessibleDescriptionAsync(new Regex(@"free \(at most \d+(\.\d+)? [KMGT]iB on one agent\)"));
            await launcher.Slider("CPU").FillAsync("1");
            await Expect(launcher.Cpu).ToHaveValueAsync("1");
            await launcher.Cpu.FillAsync("0.5");
            await launcher.Memory.FillAsync("256m");
            await Expect(launcher.HpcThreads).ToHaveAttributeAsync("placeholder", "1"); // ceil(0.5 CPU), the API's default
            await launcher.HpcThreads.FillAsync("3");
            await launcher.AddVariableAsync(1, "GREETING", "hello");
            await launcher.AddVariableAsync(2, "API_TOKEN", "s3cr3t-value");
            await Screens.SaveAsync(page, "launcher-2-batch-environment");
            await AssertAccessibleAsync(page);

            // The link keeps the plain variable and only the secret's name.
            await Expect(page).ToHaveURLAsync(new Regex("env=GREETING%3Dhello"));
            Assert.Contains("env=API_TOKEN", page.Url);
            Assert.DoesNotContain("s3cr3t", page.Url);
            Assert.Contains("maxRun=300", page.Url);

            await launcher.SkipToReview.ClickAsync();
            await launcher.StepHeading(5).WaitForAsync();
            var first = await launcher.ReviewCard("Session type").InnerTextAsync();
            Assert.Contains("300 s", first);
            var second = await launcher.ReviewCard("Environment and resources").InnerTextAsync();
            Assert.Contains("hello", second);
            Assert.DoesNotContain("s3cr3t", second);
            await AssertAccessibleAsync(page);

            await using var ended = WaitForStatusAsync(api, name, "TERMINATED");
            await launcher.Launch.ClickAsync();
            await launcher.LaunchWithoutFolders.ClickAsync();
            await page.WaitForURLAsync(u => new Uri(u).AbsolutePath == "/sessions");
            await ended.Task.WaitAsync(TimeSpan.FromMinutes(3));

            var sessions = new SessionsPage(page, fixture.Console);
            await sessions.GotoAsync();
            await sessions.FinishedTab.ClickAsync();
            var panel = await sessions.OpenDetailAsync(name);
            await Expect(panel).ToContainTextAsync(new Regex(@"Exit code\s*3"));
            await Expect(panel).ToContainTextAsync("GREETING=hello");
        });

        var session = await api.GetSessionAsync(name);
        Assert.Equal(("batch", 3, 300d), (session.Type, session.ExitCode, session.BatchTimeoutSeconds));
        Assert.Equal("s3cr3t-value", session.Environment["API_TOKEN"]);
        Assert.All(Berth.Core.Sessions.EnvironmentRules.HpcThreadVariables, v => Assert.Equal("3", session.Environment[v]));
    }

    /// <summary>Resolves once the manager's event stream says the session reached the status; the stream is opened first, so no event is missed.</summary>
    private static StatusWait WaitForStatusAsync(BerthClient api, string name, string status) => new(api, name, status);

    private sealed class StatusWait : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new(TimeSpan.FromMinutes(4));
        public Task Task { get; }

        public StatusWait(BerthClient api, string name, string status) => Task = WatchAsync(api, name, status);

        private async Task WatchAsync(BerthClient api, string name, string status)
        {
            await foreach (var e in api.WatchEventsAsync(ct: _stop.Token))
                if (e.SessionName == name && e.Status == status) return;
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try { await Task; } catch (OperationCanceledException) { }
            _stop.Dispose();
        }
    }

    /// <summary>
    /// axe-core on the launcher's own content (serious and critical only). The app bar is the layout's and is checked
    /// by the layout's tests; scoping keeps a launcher failure about the launcher.
    /// </summary>
    private static async Task AssertAccessibleAsync(IPage page)
    {
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = AxeScript() });
        // Colours are judged at rest: a step button caught mid-way through MudBlazor's colour transition (CI saw
        // "5. Review and launch" half-faded) is not what a reader sees.
        await page.AddStyleTagAsync(new PageAddStyleTagOptions { Content = "*,*::before,*::after{transition:none!important;animation:none!important}" });
        var violations = await page.EvaluateAsync<string[]>(
            "async () => (await axe.run('#launcher')).violations.filter(v => v.impact === 'serious' || v.impact === 'critical')" +
            ".flatMap(v => v.nodes.map(n => v.id + ': ' + v.help + ' at ' + n.html.slice(0, 300)))");
        Assert.True(violations.Length == 0, string.Join("\n", violations));
    }

    private static string AxeScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Berth.Web.Tests", "node_modules", "axe-core", "axe.min.js");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException("axe-core is not installed in tests/Berth.Web.Tests (npm ci there).");
    }
}
