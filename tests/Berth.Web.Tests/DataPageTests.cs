using Berth.Core.Contracts;
using Berth.Integration.Tests.Infrastructure;
using Berth.Web.Tests.Infrastructure;
using Berth.Web.Tests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.Web.Tests;

/// <summary>The Data page's first cut: a folder made through the API is listed with an explorer link.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class DataPageTests(ConsoleFixture fixture)
{
    private const string Password = "violet-otter-quietly";

    [Fact]
    public async Task A_folder_made_through_the_API_is_listed_with_a_link_to_the_explorer()
    {
        var (email, cli) = await fixture.Berth.NewUserAsync("web-data");
        using var api = fixture.Berth.ClientFor(cli);
        var folder = await api.CreateVFolderAsync(new CreateVFolderRequest("web-data-folder"));
        await fixture.Chromium.RunAsync(nameof(A_folder_made_through_the_API_is_listed_with_a_link_to_the_explorer), async context =>
        {
            var page = await context.NewPageAsync();
            await new SignInPage(page, fixture.Console).SignInAsync(email, Password);
            await page.GotoAsync(new Uri(fixture.Console, "/data").ToString());
            var link = page.GetByRole(AriaRole.Link, new() { Name = "web-data-folder" });
            await Expect(link).ToBeVisibleAsync(new() { Timeout = 30_000 });
            await Expect(link).ToHaveAttributeAsync("href", $"/data/{folder.Id}");
        });
    }
}
