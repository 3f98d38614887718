using Berth.Web.Tests.Infrastructure;
using Berth.Web.Tests.Pages;

namespace Berth.Web.Tests;

/// <summary>axe-core over each screen: no serious or critical violations (missing names, contrast, roles).</summary>
[Collection(ConsoleCollection.Name)]
public sealed class AccessibilityTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task The_sign_in_page_and_the_sessions_page_have_no_serious_accessibility_violations()
    {
        var (email, _) = await fixture.Berth.NewUserAsync("web-a11y");
        await fixture.Chromium.RunAsync(nameof(The_sign_in_page_and_the_sessions_page_have_no_serious_accessibility_violations), async context =>
        {
            var page = await context.NewPageAsync();
            var signIn = new SignInPage(page, fixture.Console);
            await signIn.GotoAsync();
            await Screens.SaveAsync(page, "sign-in");
            AssertNone(await Axe.SeriousViolationsAsync(page), "sign-in");

            await signIn.SignInAsync(email, "violet-otter-quietly");
            AssertNone(await Axe.SeriousViolationsAsync(page), "sessions");
        });
    }

    [Fact]
    public async Task The_notifications_menu_and_the_session_detail_drawer_have_no_serious_accessibility_violations()
    {
        var (email, cli) = await fixture.Berth.NewUserAsync("web-a11y-d");
        using var api = fixture.Berth.ClientFor(cli);
        var name = Berth.Integration.Tests.Infrastructure.BerthFixture.UniqueName("a11y");
        try
        {
            await fixture.Chromium.RunAsync(nameof(The_notifications_menu_and_the_session_detail_drawer_have_no_serious_accessibility_violations), async context =>
            {
                var page = await context.NewPageAsync();
                var sessions = await new SignInPage(page, fixture.Console).SignInAsync(email, "violet-otter-quietly");
                // Created while the page is open, so it has a toast and a notification; it waits (more CPU than the agent has), no container needed.
                await api.CreateSessionAsync(new Berth.Core.Contracts.CreateSessionRequest("minimal", name,
                    Resources: new Berth.Core.Contracts.ResourceRequestDto(Cpu: 128)));
                await sessions.Toast(name).WaitForAsync(new() { Timeout = 30_000 });

                await sessions.Notifications.ClickAsync();
                await sessions.Notification(name).WaitForAsync();
                var violations = await Axe.SeriousViolationsAsync(page);
                // After axe, which stops the transitions: the screenshot shows the popover and the toast at rest.
                await Screens.SaveAsync(page, "notifications");
                AssertNone(violations, "notifications menu (with a toast)");
                await page.Keyboard.PressAsync("Escape");
                await sessions.Notification(name).WaitForAsync(new() { State = Microsoft.Playwright.WaitForSelectorState.Detached });

                await sessions.OpenDetailAsync(name);
                AssertNone(await Axe.SeriousViolationsAsync(page), "session detail drawer");
            });
        }
        finally
        {
            await api.DestroySessionAsync(name);
        }
    }

    private static void AssertNone(IReadOnlyList<string> violations, string screen) =>
        Assert.True(violations.Count == 0, $"{screen}: {violations.Count} serious/critical violations:\n{string.Join('\n', violations)}");
}
