using Berth.Core.Contracts;
using Berth.Integration.Tests.Infrastructure;
using Berth.Web.Tests.Infrastructure;
using Berth.Web.Tests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.Web.Tests;

/// <summary>The toasts of created sessions and the header's notification list, with their actions, against a real server.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SessionNotificationsTests(ConsoleFixture fixture)
{
    private const string Password = "violet-otter-quietly";
    private static readonly LocatorAssertionsToBeVisibleOptions Soon = new() { Timeout = 30_000 };
    private static readonly LocatorAssertionsToContainTextOptions Started = new() { Timeout = 90_000 };

    [Fact]
    public async Task A_created_session_gets_a_toast_that_follows_its_status_and_whose_actions_open_its_dialogs_and_terminate_it()
    {
        var (email, cli) = await fixture.Berth.NewUserAsync("web-toast");
        using var api = fixture.Berth.ClientFor(cli);
        var name = BerthFixture.UniqueName("toast");
        await fixture.Chromium.RunAsync(nameof(A_created_session_gets_a_toast_that_follows_its_status_and_whose_actions_open_its_dialogs_and_terminate_it), async context =>
        {
            var page = await context.NewPageAsync();
            var sessions = await new SignInPage(page, fixture.Console).SignInAsync(email, Password);
            await api.CreateSessionAsync(new CreateSessionRequest("minimal", name));

            var toast = sessions.Toast(name);
            await Expect(toast).ToBeVisibleAsync(Soon);
            await Expect(toast).ToContainTextAsync("RUNNING", Started);
            await Screens.SaveAsync(page, "session-toast");

            // The owner's RUNNING session: apps and the terminal are offered, as in the detail panel.
            await ConsoleLayout.Action(toast, "App launcher").ClickAsync();
            var apps = sessions.Dialog("Apps: " + name);
            await Expect(apps).ToBeVisibleAsync(Soon);
            await apps.GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).ClickAsync();
            await Expect(apps).ToHaveCountAsync(0);

            await ConsoleLayout.Action(toast, "Logs").ClickAsync();
            var logs = sessions.Dialog("Logs: " + name);
            await Expect(logs).ToBeVisibleAsync(Soon);
            await logs.GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).ClickAsync();
            await Expect(logs).ToHaveCountAsync(0);

            // The header's list keeps the entry, with the same actions: terminate from there.
            await sessions.Notifications.ClickAsync();
            var entry = sessions.Notification(name);
            await Expect(entry).ToContainTextAsync("RUNNING", Started);
            await Expect(ConsoleLayout.Action(entry, "Terminal")).ToBeVisibleAsync();
            await ConsoleLayout.Action(entry, "Terminate").ClickAsync();
            var confirm = sessions.Dialog("Terminate session");
            await confirm.GetByRole(AriaRole.Button, new() { Name = "Terminate", Exact = true }).ClickAsync();

            await Expect(sessions.Row(name)).ToHaveCountAsync(0, new() { Timeout = 60_000 });
            await sessions.FinishedTab.ClickAsync();
            await Expect(sessions.Row(name)).ToContainTextAsync("TERMINATED", new() { Timeout = 60_000 });
        });
    }

    [Fact]
    public async Task An_admin_sees_another_users_new_session_live_with_its_owner_in_the_list_and_the_toast()
    {
        var (ownerEmail, ownerCli) = await fixture.Berth.NewUserAsync("web-admlive");
        using var owner = fixture.Berth.ClientFor(ownerCli);
        var name = BerthFixture.UniqueName("theirs");
        try
        {
            await fixture.Chromium.RunAsync(nameof(An_admin_sees_another_users_new_session_live_with_its_owner_in_the_list_and_the_toast), async context =>
            {
                var page = await context.NewPageAsync();
                var sessions = await new SignInPage(page, fixture.Console).SignInAsync(ServerProcess.AdminEmail, ServerProcess.AdminPassword);
                await Expect(sessions.Row(name)).ToHaveCountAsync(0);

                // No reload from here on: the row and the toast come from the admin's event stream.
                await owner.CreateSessionAsync(new CreateSessionRequest("minimal", name, Resources: new ResourceRequestDto(Cpu: 128)));
                await Expect(sessions.Row(name)).ToContainTextAsync(ownerEmail, new() { Timeout = 30_000 });
                var toast = sessions.Toast(name);
                await Expect(toast).ToContainTextAsync($"of {ownerEmail}");
                // Someone else's session: the logs and terminate, but apps and the terminal are its owner's alone.
                await Expect(ConsoleLayout.Action(toast, "Logs")).ToBeVisibleAsync();
                await Expect(ConsoleLayout.Action(toast, "Terminate")).ToBeVisibleAsync();
                await Expect(ConsoleLayout.Action(toast, "App launcher")).ToHaveCountAsync(0);

                await sessions.Notifications.ClickAsync();
                await Expect(sessions.Notification(name)).ToContainTextAsync(ownerEmail);
            });
        }
        finally
        {
            await owner.DestroySessionAsync(name);
        }
    }
}
