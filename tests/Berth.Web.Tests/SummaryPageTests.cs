using Berth.Core.Contracts;
using Berth.Integration.Tests.Infrastructure;
using Berth.Web.Tests.Infrastructure;
using Berth.Web.Tests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.Web.Tests;

/// <summary>The page after sign-in: the user's sessions and their use against the policy, moving live as a session starts and ends.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SummaryPageTests(ConsoleFixture fixture)
{
    private const string Password = "violet-otter-quietly";
    private static readonly LocatorAssertionsToHaveTextOptions Live = new() { Timeout = 60_000 };

    [Fact]
    public async Task A_session_started_elsewhere_shows_up_running_and_counts_against_the_policy_without_a_reload()
    {
        var (email, cli) = await fixture.Berth.NewUserAsync("web-sum");
        using var admin = fixture.Berth.ClientFor(fixture.Berth.Admin);
        var policy = BerthFixture.UniqueName("sumpol");
        await admin.SaveResourcePolicyAsync(new ResourcePolicyDto(policy, 3, "cpu=4 mem=2g", null, null, null, null));
        await admin.AssignResourcePolicyAsync(email, policy);
        using var api = fixture.Berth.ClientFor(cli);
        var name = BerthFixture.UniqueName("sum");
        var ended = false;
        try
        {
            await fixture.Chromium.RunAsync(nameof(A_session_started_elsewhere_shows_up_running_and_counts_against_the_policy_without_a_reload), async context =>
            {
                var page = await context.NewPageAsync();
                await new SignInPage(page, fixture.Console).SignInAsync(email, Password);
                var summary = new SummaryPage(page, fixture.Console);
                await summary.GotoAsync();
                await Expect(summary.Meter("Sessions")).ToHaveTextAsync("0 of 3", Live);
                await Expect(summary.Meter("CPU")).ToHaveTextAsync("0 cores of 4 cores");
                await Expect(summary.Meter("GPU")).ToHaveTextAsync("0 (no limit)");
                await Expect(summary.Bar("GPU")).ToHaveCountAsync(0); // no limit, no bar
                await Expect(summary.Group("default")).ToBeVisibleAsync();
                await Expect(summary.Running).ToContainTextAsync("Nothing is running.");

                await api.CreateSessionAsync(new CreateSessionRequest("minimal", name,
                    Resources: new ResourceRequestDto(Cpu: 1, MemoryBytes: 256L * 1024 * 1024)));
                await Expect(summary.SessionIn(summary.Running, name)).ToContainTextAsync("RUNNING", new() { Timeout = 60_000 });
                await Expect(summary.SessionIn(summary.Recent, name)).ToBeVisibleAsync();
                await Expect(summary.Meter("Sessions")).ToHaveTextAsync("1 of 3", Live);
                await Expect(summary.Meter("CPU")).ToHaveTextAsync("1 core of 4 cores", Live);
                await Expect(summary.Meter("Memory")).ToHaveTextAsync("256 MiB of 2 GiB", Live);
                await Expect(summary.Bar("CPU")).ToHaveAttributeAsync("aria-valuenow", "25");

                var violations = await Axe.SeriousViolationsAsync(page);
                await Screens.SaveAsync(page, "summary");
                Assert.Empty(violations);

                await api.DestroySessionAsync(name);
                ended = true;
                await Expect(summary.Running).ToContainTextAsync("Nothing is running.", new() { Timeout = 60_000 });
                await Expect(summary.Meter("Sessions")).ToHaveTextAsync("0 of 3", Live);
                await Expect(summary.SessionIn(summary.Recent, name)).ToContainTextAsync("TERMINATED", new() { Timeout = 60_000 });
            });
        }
        finally
        {
            if (!ended) await api.DestroySessionAsync(name);
        }
    }
}
