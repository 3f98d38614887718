using System.Diagnostics;
using System.Globalization;
using Berth.Core.Contracts;
using Berth.Integration.Tests.Infrastructure;
using Berth.Web.Tests.Infrastructure;
using Berth.Web.Tests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.Web.Tests.Bench;

/// <summary>
/// Timings for docs/PERFORMANCE.md (bench/web-console.sh runs this; scripts/test leaves the Bench category out):
/// first load of the Sessions page, the same page over 1,000 sessions, a name filter over them, and the time from
/// a create call (and a launch click in the launcher) to the new session's row. The 1,000 sessions ask for more CPU than the agent has, so they stay
/// PENDING and start no containers.
/// </summary>
[Collection(ConsoleCollection.Name)]
[Trait("Category", "Bench")]
public sealed class SessionsPageBench(ConsoleFixture fixture)
{
    private const int Many = 1000;

    [Fact]
    public async Task Sessions_page_timings()
    {
        var (email, cli) = await fixture.Berth.NewUserAsync("web-bench");
        using var api = fixture.Berth.ClientFor(cli);
        var results = new List<(string What, double Ms)>();
        await fixture.Chromium.RunAsync(nameof(Sessions_page_timings), async context =>
        {
            var page = await context.NewPageAsync();
            var sessions = await new SignInPage(page, fixture.Console).SignInAsync(email, "violet-otter-quietly");
            results.Add(("first load, 0 sessions", await TimeAsync(sessions.GotoAsync)));

            var name = BerthFixture.UniqueName("row");
            var clock = Stopwatch.StartNew();
            await api.CreateSessionAsync(new CreateSessionRequest("minimal", name, Resources: new ResourceRequestDto(Cpu: 128)));
            await Expect(sessions.Row(name)).ToBeVisibleAsync(new() { Timeout = 30_000 });
            results.Add(("create call → row visible", clock.Elapsed.TotalMilliseconds));

            // What a person sees: from the click that confirms the launch to the new row on the Sessions page.
            var launcher = new LauncherPage(page, fixture.Console);
            await launcher.GotoAsync();
            var launched = BerthFixture.UniqueName("click");
            await launcher.SessionName.FillAsync(launched);
            await launcher.NextAsync(2);
            await launcher.Environment("minimal").CheckAsync();
            await launcher.SkipToReview.ClickAsync();
            await launcher.StepHeading(5).WaitForAsync();
            await launcher.Launch.ClickAsync();
            await launcher.LaunchWithoutFolders.WaitForAsync();
            clock.Restart();
            await launcher.LaunchWithoutFolders.ClickAsync();
            await Expect(sessions.Row(launched)).ToBeVisibleAsync(new() { Timeout = 30_000 });
            results.Add(("launch click → row visible", clock.Elapsed.TotalMilliseconds));
            await api.DestroySessionAsync(launched);

            var batch = BerthFixture.UniqueName("bulk");
            await Parallel.ForEachAsync(Enumerable.Range(0, Many), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
                await api.CreateSessionAsync(new CreateSessionRequest("minimal", $"{batch}-{i:D4}", Resources: new ResourceRequestDto(Cpu: 128)), ct));

            var last = $"{batch}-{Many - 1:D4}";
            results.Add(($"first load, {Many + 1} sessions", await TimeAsync(async () =>
            {
                await sessions.GotoAsync();
                await Expect(sessions.Row(last)).ToBeVisibleAsync(new() { Timeout = 60_000 });
            })));
            results.Add(($"filter by name over {Many + 1}", await TimeAsync(async () =>
            {
                await sessions.NameFilter.FillAsync(last);
                await Expect(sessions.Page.GetByRole(AriaRole.Row).Filter(new() { HasText = batch })).ToHaveCountAsync(1, new() { Timeout = 30_000 });
            })));
        });
        foreach (var s in await api.ListSessionsAsync())
            if (s.Status == "PENDING") await api.DestroySessionAsync(s.Id.ToString());

        var report = string.Join('\n', results.Select(r => string.Create(CultureInfo.InvariantCulture, $"| {r.What} | {r.Ms:F0} ms |")));
        Console.WriteLine(report);
        var output = Environment.GetEnvironmentVariable("BERTH_WEB_BENCH_OUT");
        if (!string.IsNullOrEmpty(output)) await File.WriteAllTextAsync(output, report + "\n");
        Assert.Equal(5, results.Count);
    }

    private static async Task<double> TimeAsync(Func<Task> step)
    {
        var clock = Stopwatch.StartNew();
        await step();
        return clock.Elapsed.TotalMilliseconds;
    }
}
