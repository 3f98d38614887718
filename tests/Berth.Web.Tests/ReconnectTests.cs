using Berth.Core.Contracts;
using Berth.Integration.Tests.Infrastructure;
using Berth.Web.Tests.Infrastructure;
using Berth.Web.Tests.Pages;
using static Microsoft.Playwright.Assertions;

namespace Berth.Web.Tests;

/// <summary>
/// `berth web` in front of the manager through a relay the test cuts: the Sessions page notices the lost event stream,
/// reconnects by itself once the network is back, and catches up on what happened meanwhile — without a reload.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class ReconnectTests(ConsoleFixture fixture)
{
    private const string Password = "violet-otter-quietly";

    [Fact]
    public async Task After_the_event_stream_is_cut_the_page_reconnects_and_shows_a_session_created_meanwhile_without_a_reload()
    {
        var (email, cli) = await fixture.Berth.NewUserAsync("web-recon");
        using var api = fixture.Berth.ClientFor(cli);
        var name = BerthFixture.UniqueName("recon");
        await using var relay = new TcpRelay(fixture.Berth.Server.Endpoint);
        await using var web = await WebConsoleProcess.StartAsync(relay.Endpoint);
        try
        {
            await fixture.Chromium.RunAsync(nameof(After_the_event_stream_is_cut_the_page_reconnects_and_shows_a_session_created_meanwhile_without_a_reload), async context =>
            {
                var page = await context.NewPageAsync();
                var sessions = await new SignInPage(page, web.Endpoint).SignInAsync(email, Password);
                // A reload would drop this mark: it proves the row came through the live page.
                await page.EvaluateAsync("() => { window.berthNoReload = true; }");

                relay.Cut();
                await Expect(sessions.Reconnecting).ToBeVisibleAsync(new() { Timeout = 30_000 });

                // Made while the console cannot hear: no event of it ever reaches the console.
                await api.CreateSessionAsync(new CreateSessionRequest("minimal", name, Resources: new ResourceRequestDto(Cpu: 128)));
                await Expect(sessions.Row(name)).ToHaveCountAsync(0);

                relay.Restore();
                // The feed retries with a backoff of at most SessionEventFeed.MaxBackoff (10 s), then re-reads the list.
                await Expect(sessions.Row(name)).ToContainTextAsync("PENDING", new() { Timeout = 40_000 });
                await Expect(sessions.Reconnecting).ToHaveCountAsync(0, new() { Timeout = 30_000 });
                Assert.True(await page.EvaluateAsync<bool>("() => window.berthNoReload === true"), "the page was reloaded");
            });
        }
        finally
        {
            await api.DestroySessionAsync(name);
        }
    }
}
