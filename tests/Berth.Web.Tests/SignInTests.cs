using Berth.Web.Tests.Infrastructure;
using Berth.Web.Tests.Pages;

namespace Berth.Web.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class SignInTests(ConsoleFixture fixture)
{
    [Fact]
    public async Task Signing_in_mints_a_keypair_kept_by_the_console_and_signing_out_revokes_it()
    {
        var (email, cli) = await fixture.Berth.NewUserAsync("web-signin");
        using var api = fixture.Berth.ClientFor(cli);
        var before = (await api.ListKeyPairsAsync()).Count;

        await fixture.Chromium.RunAsync(nameof(Signing_in_mints_a_keypair_kept_by_the_console_and_signing_out_revokes_it), async context =>
        {
            var page = await context.NewPageAsync();
            // A stranger is sent to the sign-in page, which remembers where they were going.
            await page.GotoAsync(new Uri(fixture.Console, "/sessions").ToString());
            var signIn = new SignInPage(page, fixture.Console);
            await signIn.Heading.WaitForAsync();

            await signIn.SubmitAsync(email, "not-the-password");
            Assert.Equal("Wrong email or password.", (await signIn.Error.TextContentAsync())?.Trim());

            var sessions = await signIn.SignInAsync(email, "violet-otter-quietly");
            Assert.True(await sessions.StartButton.IsVisibleAsync());
            Assert.Equal(before + 1, (await api.ListKeyPairsAsync()).Count);
            // The browser holds only the handle: no keypair in any cookie it can see.
            var keys = await api.ListKeyPairsAsync();
            var cookies = await context.CookiesAsync();
            Assert.DoesNotContain(cookies, c => keys.Any(k => c.Value.Contains(k.AccessKey, StringComparison.Ordinal)));

            await sessions.SignOutAsync();
            Assert.Equal(before, (await api.ListKeyPairsAsync()).Count);
            // The cookie is gone: the console is closed again.
            await page.GotoAsync(new Uri(fixture.Console, "/").ToString());
            await signIn.Heading.WaitForAsync();
        });
    }
}
