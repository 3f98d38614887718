using Microsoft.Playwright;

namespace Berth.Web.Tests.Infrastructure;

/// <summary>
/// Screenshots for docs/images/ (the README and docs/web-console.md use them): taken by the tests that reach each
/// screen, written only when BERTH_WEB_SCREENSHOTS=1, so an ordinary run leaves the tree alone.
/// </summary>
public static class Screens
{
    public static async Task SaveAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("BERTH_WEB_SCREENSHOTS") != "1") return;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (!File.Exists(Path.Combine(dir.FullName, "Berth.slnx"))) continue;
            var images = Path.Combine(dir.FullName, "docs", "images");
            Directory.CreateDirectory(images);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(images, name + ".png") });
            return;
        }
    }
}
