using System.Text.RegularExpressions;
using Berth.Core.Contracts;
using Berth.Integration.Tests.Infrastructure;
using Berth.Web.Tests.Infrastructure;
using Berth.Web.Tests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.Web.Tests;

/// <summary>The Sessions page and its detail panel against a real server, sessions made through the API.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SessionsPageTests(ConsoleFixture fixture)
{
    private const string Password = "violet-otter-quietly";
    private static readonly LocatorAssertionsToBeVisibleOptions Soon = new() { Timeout = 30_000 };
    private static readonly LocatorAssertionsToBeVisibleOptions BatchEnds = new() { Timeout = 120_000 };

    [Fact]
    public async Task A_session_created_through_the_API_appears_live_and_moves_to_finished_when_terminated()
    {
        var (email, cli) = await fixture.Berth.NewUserAsync("web-live");
        using var api = fixture.Berth.ClientFor(cli);
        var name = BerthFixture.UniqueName("live");
        await fixture.Chromium.RunAsync(nameof(A_session_created_through_the_API_appears_live_and_moves_to_finished_when_terminated), async context =>
        {
            var page = await context.NewPageAsync();
            var sessions = await new SignInPage(page, fixture.Console).SignInAsync(email, Password);
            await Expect(sessions.Row(name)).ToHaveCountAsync(0);

            // No reload from here on: the row comes from the event stream.
            await api.CreateSessionAsync(new CreateSessionRequest("minimal", name));
            await Expect(sessions.Row(name)).ToBeVisibleAsync(Soon);
            await Expect(sessions.Row(name)).ToContainTextAsync("RUNNING", new() { Timeout = 60_000 });
            await Screens.SaveAsync(page, "sessions");

            var panel = await sessions.OpenDetailAsync(name);
            await Expect(panel).ToContainTextAsync("RUNNING");
            await Screens.SaveAsync(page, "session-detail");
            // The panel is a temporary drawer over the page: a fresh load closes it for the next steps.
            await sessions.GotoAsync();

            await api.DestroySessionAsync(name);
            await sessions.FinishedTab.ClickAsync();
            await Expect(sessions.Row(name)).ToBeVisibleAsync(Soon);
            await Expect(sessions.Row(name)).ToContainTextAsync("TERMINATED", new() { Timeout = 60_000 });
        });
    }

    [Fact]
    public async Task A_pending_session_shows_why_it_waits()
    {
        var (email, cli) = await fixture.Berth.NewUserAsync("web-pend");
        using var api = fixture.Berth.ClientFor(cli);
        var name = BerthFixture.UniqueName("pend");
        // More CPU than the test agent declares (64): it waits, and the scheduler says why in words.
        await api.CreateSessionAsync(new CreateSessionRequest("minimal", name, Resources: new ResourceRequestDto(Cpu: 128)));
        try
        {
            await fixture.Chromium.RunAsync(nameof(A_pending_session_shows_why_it_waits), async context =>
            {
                var page = await context.NewPageAsync();
                var sessions = await new SignInPage(page, fixture.Console).SignInAsync(email, Password);
                await Expect(sessions.Row(name)).ToContainTextAsync("PENDING", new() { Timeout = 30_000 });
                var panel = await sessions.OpenDetailAsync(name);
                await Expect(panel).ToContainTextAsync(new Regex("largest agent"), new() { Timeout = 30_000 });
                await Screens.SaveAsync(page, "session-pending");
            });
        }
        finally
        {
            await api.DestroySessionAsync(name);
        }
    }

    [Fact]
    public async Task A_batch_session_ends_by_itself_and_shows_its_exit_code()
    {
        var (email, cli) = await fixture.Berth.NewUserAsync("web-batch");
        using var api = fixture.Berth.ClientFor(cli);
        var name = BerthFixture.UniqueName("batch");
        await fixture.Chromium.RunAsync(nameof(A_batch_session_ends_by_itself_and_shows_its_exit_code), async context =>
        {
            var page = await context.NewPageAsync();
            var sessions = await new SignInPage(page, fixture.Console).SignInAsync(email, Password);
            await api.CreateSessionAsync(new CreateSessionRequest("minimal", name, Type: "batch", StartupCommand: "echo done; exit 3"));
            await sessions.FinishedTab.ClickAsync();
            await Expect(sessions.Row(name)).ToBeVisibleAsync(BatchEnds);
            var panel = await sessions.OpenDetailAsync(name);
            await Expect(panel).ToContainTextAsync(new Regex(@"Exit code:?\s*3"), new() { Timeout = 30_000 });
            await Expect(panel).ToContainTextAsync("failure");
        });
    }

    [Fact]
    public async Task A_user_sees_none_of_another_users_sessions_and_an_admin_sees_whose_they_are()
    {
        var (ownerEmail, ownerCli) = await fixture.Berth.NewUserAsync("web-own");
        var (otherEmail, _) = await fixture.Berth.NewUserAsync("web-other");
        using var owner = fixture.Berth.ClientFor(ownerCli);
        var name = BerthFixture.UniqueName("mine");
        await owner.CreateSessionAsync(new CreateSessionRequest("minimal", name));
        try
        {
            await fixture.Chromium.RunAsync(nameof(A_user_sees_none_of_another_users_sessions_and_an_admin_sees_whose_they_are) + "-admin", async context =>
            {
                var page = await context.NewPageAsync();
                var sessions = await new SignInPage(page, fixture.Console).SignInAsync(ServerProcess.AdminEmail, ServerProcess.AdminPassword);
                await Expect(sessions.Row(name)).ToBeVisibleAsync(Soon);
                await Expect(sessions.OwnerColumn).ToBeVisibleAsync();
                await Expect(sessions.Row(name)).ToContainTextAsync(ownerEmail);
            });
            await fixture.Chromium.RunAsync(nameof(A_user_sees_none_of_another_users_sessions_and_an_admin_sees_whose_they_are) + "-other", async context =>
            {
                var page = await context.NewPageAsync();
                var sessions = await new SignInPage(page, fixture.Console).SignInAsync(otherEmail, Password);
                await Expect(sessions.RunningTab).ToBeVisibleAsync();
                await Expect(sessions.Row(name)).ToHaveCountAsync(0);
                await Expect(sessions.OwnerColumn).ToHaveCountAsync(0);
            });
        }
        finally
        {
            await owner.DestroySessionAsync(name);
        }
    }
}
