using Berth.Web.Tests.Infrastructure;
using Berth.Web.Tests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.Web.Tests;

/// <summary>Light or dark: the operating system's choice until the user picks one, and the pick outlives a reload.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class ThemeTests(ConsoleFixture fixture)
{
    private const string Password = "violet-otter-quietly";
    private static readonly LocatorAssertionsToBeVisibleOptions Soon = new() { Timeout = 15_000 };

    [Fact]
    public async Task The_theme_follows_the_operating_system_until_the_user_picks_one_which_then_survives_a_reload()
    {
        var (email, _) = await fixture.Berth.NewUserAsync("web-theme");
        await fixture.Chromium.RunAsync(nameof(The_theme_follows_the_operating_system_until_the_user_picks_one_which_then_survives_a_reload), async context =>
        {
            var page = await context.NewPageAsync();
            await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
            var sessions = await new SignInPage(page, fixture.Console).SignInAsync(email, Password);
            // Dark, as the system says: the switch offers the other one.
            await Expect(SwitchTo(page, "light")).ToBeVisibleAsync(Soon);
            await WaitBackgroundDarkAsync(page);

            await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
            await Expect(SwitchTo(page, "dark")).ToBeVisibleAsync(Soon);

            // The user picks dark while the system says light; a reload keeps the pick.
            await SwitchTo(page, "dark").ClickAsync();
            await Expect(SwitchTo(page, "light")).ToBeVisibleAsync(Soon);
            await sessions.GotoAsync();
            await Expect(SwitchTo(page, "light")).ToBeVisibleAsync(Soon);
            await WaitBackgroundDarkAsync(page);
        });
    }

    private static ILocator SwitchTo(IPage page, string theme) =>
        page.GetByRole(AriaRole.Button, new() { Name = $"Switch to {theme} theme", Exact = true });

    // What the eye sees: the page's background, not just the switch's label (bounded wait: the theme's style lands on render).
    private static Task WaitBackgroundDarkAsync(IPage page) =>
        page.WaitForFunctionAsync("""
            () => {
                const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+/g).map(Number);
                return 0.2126 * r + 0.7152 * g + 0.0722 * b < 100;
            }
            """, null, new() { Timeout = 15_000 });
}
