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

    private static void AssertNone(IReadOnlyList<string> violations, string screen) =>
        Assert.True(violations.Count == 0, $"{screen}: {violations.Count} serious/critical violations:\n{string.Join('\n', violations)}");
}
