using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace Berth.Web.Tests.Pages;

/// <summary>The folder explorer (/data/{id}?path=): breadcrumb, toolbar, the virtualised entry list and its dialogs.</summary>
public sealed class FolderExplorerPage(IPage page, Uri console) : ConsoleLayout(page)
{
    public async Task GotoAsync(Guid folder, string? path = null)
    {
        var url = $"/data/{folder}" + (string.IsNullOrEmpty(path) ? "" : "?path=" + Uri.EscapeDataString(path));
        await Page.GotoAsync(new Uri(console, url).ToString());
        await Page.Locator("[data-interactive=true]").WaitForAsync(new() { State = WaitForSelectorState.Attached });
        await List.WaitForAsync();
    }

    public ILocator Breadcrumb => Page.GetByRole(AriaRole.Navigation, new() { Name = "Folder path" });
    public ILocator Crumb(string name) => Breadcrumb.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });
    public ILocator CurrentCrumb => Breadcrumb.Locator("[aria-current=page]");

    public ILocator List => Page.GetByRole(AriaRole.Region, new() { Name = "Entries" });
    public ILocator Rows => List.Locator("tbody tr.explorer-row");

    /// <summary>An entry's row, by its exact name (the first cell with text).</summary>
    public ILocator Row(string name) =>
        Rows.Filter(new() { Has = Page.Locator("td.explorer-name").GetByText(name, new() { Exact = true }) });

    public ILocator DirectoryLink(string name) => List.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });
    public ILocator SortButton(string column) =>
        List.GetByRole(AriaRole.Columnheader, new() { Name = column }).GetByRole(AriaRole.Button);

    public ILocator NewDirectory => Page.GetByRole(AriaRole.Button, new() { Name = "New directory" });
    public ILocator DeleteSelected => Page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Delete selected") });
    public ILocator DownloadDirectory => Page.GetByRole(AriaRole.Button, new() { NameRegex = new Regex(@"^Download (folder|directory) \(\.tar\)") });
    public ILocator Select(string name) => Page.GetByRole(AriaRole.Checkbox, new() { Name = "Select " + name, Exact = true });
    public ILocator Preview(string name) => Page.GetByRole(AriaRole.Button, new() { Name = "Preview " + name, Exact = true });
    public ILocator Download(string name) => Page.GetByRole(AriaRole.Button, new() { Name = "Download " + name, Exact = true });
    public ILocator Rename(string name) => Page.GetByRole(AriaRole.Button, new() { Name = "Rename or move " + name, Exact = true });
    public ILocator AnyRename => List.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Rename or move ") });

    /// <summary>Fills the open name dialog (new directory / rename) and submits it.</summary>
    public async Task SubmitNameAsync(string title, string value, string submit)
    {
        var dialog = Dialog(title);
        await dialog.GetByRole(AriaRole.Textbox).FillAsync(value);
        await dialog.GetByRole(AriaRole.Button, new() { Name = submit, Exact = true }).ClickAsync();
        await dialog.WaitForAsync(new() { State = WaitForSelectorState.Detached });
    }

    /// <summary>Clicks a control that sends the browser to a storage download, and returns the saved file's bytes and name.</summary>
    public async Task<(byte[] Bytes, string Name)> DownloadBytesAsync(ILocator control)
    {
        var download = await Page.RunAndWaitForDownloadAsync(() => control.ClickAsync(), new() { Timeout = 30_000 });
        var path = await download.PathAsync();
        return (await File.ReadAllBytesAsync(path), download.SuggestedFilename);
    }
}
