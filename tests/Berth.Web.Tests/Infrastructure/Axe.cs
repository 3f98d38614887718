using System.Text.Json;
using Microsoft.Playwright;

namespace Berth.Web.Tests.Infrastructure;

/// <summary>
/// The accessibility check: axe-core (npm, installed by scripts/lib.sh's ensure_transfer_clients with npm ci
/// beside this project) injected into the page, run, and its serious or critical violations returned.
/// </summary>
public static class Axe
{
    private static readonly string ScriptPath = FindScript();

    /// <param name="within">A CSS selector to judge only that part, e.g. an open dialog: what lies under a modal's
    /// overlay is inert, and axe would judge its colours as dimmed by the overlay.</param>
    public static async Task<IReadOnlyList<string>> SeriousViolationsAsync(IPage page, string? within = null)
    {
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = ScriptPath });
        // Colours are judged at rest, not half-way through a CSS transition (see LauncherTests).
        await page.AddStyleTagAsync(new PageAddStyleTagOptions { Content = "*,*::before,*::after{transition:none!important;animation:none!important}" });
        var json = await page.EvaluateAsync<string>(
            "async within => JSON.stringify((await axe.run(within ? document.querySelector(within) : document)).violations.filter(v => v.impact === 'serious' || v.impact === 'critical')" +
            ".map(v => v.id + ': ' + v.help + ' at ' + v.nodes.map(n => n.target.join(' ')).join(', ')))", within);
        return JsonSerializer.Deserialize<string[]>(json) ?? [];
    }

    private static string FindScript()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "Berth.Web.Tests", "node_modules", "axe-core", "axe.min.js");
            if (File.Exists(candidate)) return candidate;
        }
        throw new InvalidOperationException(
            "axe-core is not installed in tests/Berth.Web.Tests; run `source scripts/lib.sh && ensure_transfer_clients` (npm ci there).");
    }
}
