using Microsoft.Playwright;

namespace Berth.Integration.Tests.Infrastructure;

/// <summary>
/// A real headless Chromium (Debian's, <c>/usr/bin/chromium</c>, which <c>scripts/test</c> installs) driven by
/// Playwright for .NET, for acceptance tests that need what only a browser does: keep cookies per host, send
/// <c>Origin</c>, run a page's JavaScript. Playwright's own browser download is never used. Each test gets a fresh
/// browser context (no cookies, no storage) through <see cref="RunAsync"/>, which saves a screenshot of every page
/// the test left open when it fails.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    public const string ExecutablePath = "/usr/bin/chromium";

    /// <summary>No sandbox (tests run as root in a container), no GPU, and nothing that calls out to Google's services.</summary>
    private static readonly string[] Args =
    [
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;

    private HeadlessChromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    public IBrowser Browser { get; }

    /// <summary>Starts the browser; a missing Chromium fails the test with how to get it (never a silent skip).</summary>
    public static async Task<HeadlessChromium> LaunchAsync()
    {
        Assert.True(File.Exists(ExecutablePath),
            $"{ExecutablePath} is missing: the browser tests need Debian's Chromium (`apt-get install chromium`; scripts/test installs it).");
        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Args,
                Timeout = 60_000,
            });
            return new HeadlessChromium(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Runs <paramref name="test"/> in a fresh browser context; when it throws, every page still open is saved as
    /// <c>.artifacts/screenshots/NAME-N.png</c> (the path is added to the failure) before the failure goes on.
    /// </summary>
    public async Task RunAsync(string name, Func<IBrowserContext, Task> test)
    {
        await using var context = await Browser.NewContextAsync(new BrowserNewContextOptions { IgnoreHTTPSErrors = false });
        context.SetDefaultTimeout(30_000);
        try
        {
            await test(context);
        }
        catch (Exception failure)
        {
            var saved = await ScreenshotsAsync(context, name);
            throw new Xunit.Sdk.XunitException($"{failure.Message}\n(screenshots: {string.Join(", ", saved)})\n{failure}");
        }
    }

    private static async Task<List<string>> ScreenshotsAsync(IBrowserContext context, string name)
    {
        var saved = new List<string>();
        var directory = Path.Combine(ArtifactsDirectory(), "screenshots");
        Directory.CreateDirectory(directory);
        var n = 0;
        foreach (var page in context.Pages)
        {
            var path = Path.Combine(directory, $"{name}-{++n}.png");
            try
            {
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Timeout = 10_000 });
                saved.Add(path);
            }
            catch (PlaywrightException e)
            {
                saved.Add($"{path} not saved ({e.Message.Split('\n')[0]})");
            }
        }
        return saved;
    }

    /// <summary>The repository's <c>.artifacts</c> (beside Berth.slnx, where scripts/test keeps its results), else a temporary folder.</summary>
    private static string ArtifactsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Berth.slnx"))) return Path.Combine(dir.FullName, ".artifacts");
        return Path.Combine(Path.GetTempPath(), "berth-test-artifacts");
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.CloseAsync();
        _playwright.Dispose();
    }
}
