using Berth.Core.Contracts;
using Berth.Integration.Tests.Infrastructure;
using Berth.Web.Tests.Infrastructure;
using Berth.Web.Tests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.Web.Tests;

/// <summary>The detail panel's actions in the browser: rename under the API's name rule, logs, terminate with a confirm.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class SessionDetailTests(ConsoleFixture fixture)
{
    private const string Password = "violet-otter-quietly";

    [Fact]
    public async Task Rename_refuses_a_bad_name_in_the_form_then_renames_and_terminate_asks_first()
    {
        var (email, cli) = await fixture.Berth.NewUserAsync("web-detail");
        using var api = fixture.Berth.ClientFor(cli);
        var name = BerthFixture.UniqueName("det");
        var created = await api.CreateSessionAsync(new CreateSessionRequest("minimal", name, StartupCommand: null));
        await fixture.Chromium.RunAsync(nameof(Rename_refuses_a_bad_name_in_the_form_then_renames_and_terminate_asks_first), async context =>
        {
            var page = await context.NewPageAsync();
            var sessions = await new SignInPage(page, fixture.Console).SignInAsync(email, Password);
            await Expect(sessions.Row(name)).ToContainTextAsync("RUNNING", new() { Timeout = 60_000 });
            await sessions.OpenDetailAsync(name);
            // The panel by its accessible name: while renaming, the name is in an input, not in its text.
            var panel = page.GetByRole(AriaRole.Region, new() { Name = "Session details" });

            await panel.GetByRole(AriaRole.Button, new() { Name = "Rename" }).ClickAsync();
            var box = panel.GetByLabel("New name");
            // Berth.Core's rule, in the form: too short, and Save stays disabled.
            await box.FillAsync("ab");
            await Expect(panel).ToContainTextAsync("at least 4 characters");
            await Expect(panel.GetByRole(AriaRole.Button, new() { Name = "Save name" })).ToBeDisabledAsync();

            var renamed = name + "-r";
            await box.FillAsync(renamed);
            await panel.GetByRole(AriaRole.Button, new() { Name = "Save name" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = renamed })).ToBeVisibleAsync();
            Assert.Equal(renamed, (await api.GetSessionAsync(created.Id.ToString())).Name);

            await panel.GetByRole(AriaRole.Button, new() { Name = "Logs", Exact = true }).ClickAsync();
            var logs = page.GetByRole(AriaRole.Dialog, new() { Name = "Logs: " + renamed });
            await Expect(logs.GetByLabel("Session logs")).ToBeVisibleAsync();
            await logs.GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).ClickAsync();

            // Terminate asks first: cancelling leaves it running; confirming ends it.
            await panel.GetByRole(AriaRole.Button, new() { Name = "Terminate" }).ClickAsync();
            var confirm = page.GetByRole(AriaRole.Dialog, new() { Name = "Terminate session" });
            await confirm.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            Assert.Equal("RUNNING", (await api.GetSessionAsync(created.Id.ToString())).Status);
            await panel.GetByRole(AriaRole.Button, new() { Name = "Terminate" }).ClickAsync();
            await confirm.GetByRole(AriaRole.Button, new() { Name = "Terminate" }).ClickAsync();
            await Expect(panel).ToContainTextAsync("TERMINATED", new() { Timeout = 60_000 });
            Assert.Equal("TERMINATED", (await api.GetSessionAsync(created.Id.ToString())).Status);
        });
    }
}
