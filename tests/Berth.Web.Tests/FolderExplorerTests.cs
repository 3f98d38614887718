using System.Formats.Tar;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Berth.Client;
using Berth.Core.Contracts;
using Berth.Integration.Tests.Infrastructure;
using Berth.Web.Tests.Infrastructure;
using Berth.Web.Tests.Pages;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Berth.Web.Tests;

/// <summary>The folder explorer against a real server: folders and files made through the API (or on disk), no session running.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class FolderExplorerTests(ConsoleFixture fixture)
{
    private const string Password = "violet-otter-quietly";
    // A 1×1 PNG: enough for the browser to decode and give the preview a natural size.
    private static readonly byte[] Png = Convert.FromBase64String(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");

    [Fact]
    public async Task The_explorer_walks_a_folder_changes_it_downloads_previews_and_never_follows_a_symlink()
    {
        var (email, cli) = await fixture.Berth.NewUserAsync("web-expl");
        using var api = fixture.Berth.ClientFor(cli);
        var folder = await api.CreateVFolderAsync(new CreateVFolderRequest(BerthFixture.UniqueName("walk")));
        var id = folder.Id.ToString();
        var local = Directory.CreateTempSubdirectory("explorer-").FullName;
        await api.MkdirAsync(id, "docs");
        await UploadAsync(api, id, local, "notes.txt", "notes to move\n"u8.ToArray());
        var aBytes = Encoding.UTF8.GetBytes("first file, downloaded byte for byte\n");
        await UploadAsync(api, id, local, "a.txt", aBytes);
        await UploadAsync(api, id, local, "b.txt", "hello from b\nsecond line\n"u8.ToArray());
        await UploadAsync(api, id, local, "pic.png", Png);
        await UploadAsync(api, id, local, "docs/readme.md", "# Read me\n"u8.ToArray());
        // What a session could leave behind: a link out of the folder. The explorer shows it and does not follow it.
        File.CreateSymbolicLink(Path.Combine(FolderDirectory(folder.Id), "escape"), "/etc");

        await fixture.Chromium.RunAsync(nameof(The_explorer_walks_a_folder_changes_it_downloads_previews_and_never_follows_a_symlink), async context =>
        {
            var page = await context.NewPageAsync();
            await new SignInPage(page, fixture.Console).SignInAsync(email, Password);
            var explorer = new FolderExplorerPage(page, fixture.Console);
            await explorer.GotoAsync(folder.Id);
            await Expect(explorer.Row("a.txt")).ToContainTextAsync("TXT file");

            var link = explorer.Row("escape");
            await Expect(link).ToContainTextAsync("→ /etc");
            await Expect(link).ToContainTextAsync("Symlink");
            await Expect(link.GetByRole(AriaRole.Link)).ToHaveCountAsync(0);
            await Expect(explorer.Download("escape")).ToHaveCountAsync(0);

            // Down into docs and back up by the breadcrumb; the URL carries the path both ways.
            await explorer.DirectoryLink("docs").ClickAsync();
            await page.WaitForURLAsync(new Regex(@"\?path=docs$"));
            await Expect(explorer.CurrentCrumb).ToHaveTextAsync("docs");
            await Expect(explorer.Row("readme.md")).ToBeVisibleAsync();
            await explorer.Crumb(folder.Name).ClickAsync();
            await page.WaitForURLAsync(u => !u.Contains("path="));
            await Expect(explorer.Row("notes.txt")).ToBeVisibleAsync();

            // Sorting by size, largest first, puts the longest file above the others (directories stay on top).
            await explorer.SortButton("Size").ClickAsync();
            await explorer.SortButton("Size").ClickAsync();
            await Expect(explorer.List.GetByRole(AriaRole.Columnheader, new() { Name = "Size" })).ToHaveAttributeAsync("aria-sort", "descending");
            await Expect(explorer.Rows.Nth(1)).ToContainTextAsync("pic.png");

            await explorer.NewDirectory.ClickAsync();
            await explorer.SubmitNameAsync("New directory", "sub", "Create");
            await Expect(explorer.DirectoryLink("sub")).ToBeVisibleAsync();

            await explorer.Rename("notes.txt").ClickAsync();
            await explorer.SubmitNameAsync("Rename or move notes.txt", "renamed.txt", "Rename");
            await Expect(explorer.Row("renamed.txt")).ToBeVisibleAsync();
            await explorer.Rename("renamed.txt").ClickAsync();
            await explorer.SubmitNameAsync("Rename or move renamed.txt", "sub/renamed.txt", "Rename");
            await Expect(explorer.Row("renamed.txt")).ToHaveCountAsync(0);
            Assert.Contains(await api.ListFilesAsync(id, "sub"), e => e.Name == "renamed.txt");

            var (fileBytes, fileName) = await explorer.DownloadBytesAsync(explorer.Download("a.txt"));
            Assert.Equal("a.txt", fileName);
            Assert.Equal(aBytes, fileBytes);

            await explorer.GotoAsync(folder.Id, "docs");
            var (tarBytes, tarName) = await explorer.DownloadBytesAsync(explorer.DownloadDirectory);
            Assert.Equal("docs.tar", tarName);
            Assert.Equal(["docs/", "docs/readme.md"], TarEntries(tarBytes));

            await explorer.GotoAsync(folder.Id);
            await explorer.Preview("b.txt").ClickAsync();
            var text = explorer.Dialog("Preview: b.txt");
            await Expect(text).ToContainTextAsync("hello from b");
            await text.GetByRole(AriaRole.Button, new() { Name = "Close" }).ClickAsync();
            await text.WaitForAsync(new() { State = WaitForSelectorState.Detached });
            await explorer.Preview("pic.png").ClickAsync();
            var image = explorer.Dialog("Preview: pic.png").GetByRole(AriaRole.Img, new() { Name = "Preview of pic.png" });
            await Expect(image).ToBeVisibleAsync();
            await page.WaitForFunctionAsync("() => [...document.querySelectorAll('img')].some(i => i.alt === 'Preview of pic.png' && i.naturalWidth === 1)");
            await page.Keyboard.PressAsync("Escape");

            await explorer.Select("a.txt").CheckAsync();
            await explorer.Select("b.txt").CheckAsync();
            await Expect(explorer.DeleteSelected).ToHaveTextAsync(new Regex(@"\(2\)"));
            await explorer.DeleteSelected.ClickAsync();
            var confirm = explorer.Dialog("Delete files");
            await Expect(confirm).ToContainTextAsync("a.txt, b.txt");
            await confirm.GetByRole(AriaRole.Button, new() { Name = "Delete", Exact = true }).ClickAsync();
            await Expect(explorer.Row("a.txt")).ToHaveCountAsync(0);
            await Expect(explorer.Row("b.txt")).ToHaveCountAsync(0);
            var left = (await api.ListFilesAsync(id)).Select(e => e.Name).ToHashSet();
            Assert.DoesNotContain("a.txt", left);
            Assert.DoesNotContain("b.txt", left);
            Assert.Contains("pic.png", left);
        });
    }

    [Fact]
    public async Task A_directory_of_ten_thousand_entries_opens_and_scrolls_to_its_end_with_few_rows_in_the_DOM()
    {
        var (email, cli) = await fixture.Berth.NewUserAsync("web-big");
        using var api = fixture.Berth.ClientFor(cli);
        var folder = await api.CreateVFolderAsync(new CreateVFolderRequest(BerthFixture.UniqueName("big")));
        var dir = FolderDirectory(folder.Id);
        for (var i = 0; i < 10_000; i++) File.WriteAllBytes(Path.Combine(dir, $"f{i:D5}.txt"), []);

        await fixture.Chromium.RunAsync(nameof(A_directory_of_ten_thousand_entries_opens_and_scrolls_to_its_end_with_few_rows_in_the_DOM), async context =>
        {
            var page = await context.NewPageAsync();
            await new SignInPage(page, fixture.Console).SignInAsync(email, Password);
            var explorer = new FolderExplorerPage(page, fixture.Console);
            await explorer.GotoAsync(folder.Id);
            await Expect(page.GetByText("10000 entries")).ToBeVisibleAsync(new() { Timeout = 15_000 });
            await Expect(explorer.Row("f00000.txt")).ToBeVisibleAsync();

            // Scroll to the bottom (repeatedly: each scroll lets Virtualize render the next window) until the last row shows.
            var last = explorer.Row("f09999.txt");
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (true)
            {
                await explorer.List.EvaluateAsync("el => el.scrollTop = el.scrollHeight");
                try
                {
                    await last.WaitForAsync(new() { Timeout = 1_000 });
                    break;
                }
                catch (TimeoutException) when (DateTime.UtcNow < deadline)
                {
                    // Virtualize re-measured as it rendered; the end moved a little further down.
                }
            }
            await Expect(last).ToBeVisibleAsync(new() { Timeout = 5_000 });
            var rows = await explorer.Rows.CountAsync();
            Assert.InRange(rows, 1, 200);
        });
    }

    [Fact]
    public async Task A_read_only_share_offers_no_changes_and_the_API_refuses_them()
    {
        var (ownerEmail, ownerCli) = await fixture.Berth.NewUserAsync("web-own");
        var (readerEmail, readerCli) = await fixture.Berth.NewUserAsync("web-read");
        using var owner = fixture.Berth.ClientFor(ownerCli);
        using var reader = fixture.Berth.ClientFor(readerCli);
        var folder = await owner.CreateVFolderAsync(new CreateVFolderRequest(BerthFixture.UniqueName("shared")));
        var local = Directory.CreateTempSubdirectory("explorer-ro-").FullName;
        await UploadAsync(owner, folder.Id.ToString(), local, "keep.txt", "read me only\n"u8.ToArray());
        await owner.ShareVFolderAsync(folder.Id.ToString(), readerEmail, "ro");

        await fixture.Chromium.RunAsync(nameof(A_read_only_share_offers_no_changes_and_the_API_refuses_them), async context =>
        {
            var page = await context.NewPageAsync();
            await new SignInPage(page, fixture.Console).SignInAsync(readerEmail, Password);
            var explorer = new FolderExplorerPage(page, fixture.Console);
            await explorer.GotoAsync(folder.Id);
            await Expect(explorer.Row("keep.txt")).ToBeVisibleAsync();
            await Expect(page.GetByText(new Regex("^Read-only"))).ToBeVisibleAsync();
            await Expect(explorer.NewDirectory).ToHaveCountAsync(0);
            await Expect(explorer.DeleteSelected).ToHaveCountAsync(0);
            await Expect(explorer.AnyRename).ToHaveCountAsync(0);
            await Expect(explorer.Select("keep.txt")).ToHaveCountAsync(0);
            // Reading is still allowed.
            await Expect(explorer.Download("keep.txt")).ToBeVisibleAsync();
        });

        var id = folder.Id.ToString();
        await AssertRefusedAsync(() => reader.MkdirAsync(id, "new"));
        await AssertRefusedAsync(() => reader.MoveFileAsync(id, "keep.txt", "moved.txt"));
        await AssertRefusedAsync(() => reader.DeleteFilesAsync(id, ["keep.txt"]));
        Assert.Contains(await owner.ListFilesAsync(id), e => e.Name == "keep.txt");
        _ = ownerEmail;
    }

    [Fact]
    public async Task The_explorer_has_no_serious_accessibility_violations()
    {
        var (email, cli) = await fixture.Berth.NewUserAsync("web-expax");
        using var api = fixture.Berth.ClientFor(cli);
        var folder = await api.CreateVFolderAsync(new CreateVFolderRequest(BerthFixture.UniqueName("axe")));
        var id = folder.Id.ToString();
        var local = Directory.CreateTempSubdirectory("explorer-axe-").FullName;
        await api.MkdirAsync(id, "results");
        await UploadAsync(api, id, local, "train.py", "print('training')\n"u8.ToArray());
        await UploadAsync(api, id, local, "README.md", "# Experiment\n"u8.ToArray());
        await UploadAsync(api, id, local, "plot.png", Png);
        File.CreateSymbolicLink(Path.Combine(FolderDirectory(folder.Id), "latest"), "results");

        await fixture.Chromium.RunAsync(nameof(The_explorer_has_no_serious_accessibility_violations), async context =>
        {
            var page = await context.NewPageAsync();
            await new SignInPage(page, fixture.Console).SignInAsync(email, Password);
            var explorer = new FolderExplorerPage(page, fixture.Console);
            await explorer.GotoAsync(folder.Id);
            await Expect(explorer.Row("train.py")).ToBeVisibleAsync();
            var violations = await Axe.SeriousViolationsAsync(page);
            await Screens.SaveAsync(page, "web-explorer");
            Assert.True(violations.Count == 0, $"explorer: {violations.Count} serious/critical violations:\n{string.Join('\n', violations)}");

            await explorer.Preview("README.md").ClickAsync();
            await Expect(explorer.Dialog("Preview: README.md")).ToContainTextAsync("Experiment");
            var inDialog = await Axe.SeriousViolationsAsync(page);
            Assert.True(inDialog.Count == 0, $"preview dialog: {inDialog.Count} serious/critical violations:\n{string.Join('\n', inDialog)}");
        });
    }

    private string FolderDirectory(Guid id) => Path.Combine(fixture.Berth.Server.DataDirectory, "volumes", "local", id.ToString("N"));

    private static async Task UploadAsync(BerthClient api, string folder, string localDir, string remotePath, byte[] content)
    {
        var file = Path.Combine(localDir, Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(file, content);
        await api.UploadFileAsync(folder, file, remotePath);
    }

    private static List<string> TarEntries(byte[] tar)
    {
        using var reader = new TarReader(new MemoryStream(tar));
        var names = new List<string>();
        while (reader.GetNextEntry() is { } entry) names.Add(entry.Name);
        return names;
    }

    private static async Task AssertRefusedAsync(Func<Task> change)
    {
        var e = await Assert.ThrowsAsync<BerthApiException>(change);
        Assert.Equal(HttpStatusCode.Forbidden, e.StatusCode);
    }
}
