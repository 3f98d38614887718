using System.Collections.Frozen;
using Microsoft.AspNetCore.Http;

namespace Berth.Manager.Terminals;

/// <summary>
/// The web terminal's page and its scripts (xterm.js, vendored under <c>Terminals/Web/vendor</c>), embedded in this
/// assembly so that every build and publish carries them. Every address is relative: wherever the page is mounted,
/// its scripts and its socket (<c>ws</c>) are next to it.
/// </summary>
public static class TerminalPage
{
    private static readonly FrozenDictionary<string, (string Resource, string ContentType)> Files = new Dictionary<string, (string, string)>
    {
        [""] = ("index.html", "text/html; charset=utf-8"),
        ["terminal.js"] = ("terminal.js", "text/javascript; charset=utf-8"),
        ["xterm.js"] = ("vendor/xterm.js", "text/javascript; charset=utf-8"),
        ["xterm.css"] = ("vendor/xterm.css", "text/css; charset=utf-8"),
        ["addon-fit.js"] = ("vendor/addon-fit.js", "text/javascript; charset=utf-8"),
    }.ToFrozenDictionary();

    /// <summary>True for the names the page serves (<c>""</c> is the page itself).</summary>
    public static bool Has(string name) => Files.ContainsKey(name);

    /// <summary>Writes one of the page's files; false when there is no such file.</summary>
    public static async Task<bool> TryWriteAsync(HttpContext context, string name)
    {
        if (!Files.TryGetValue(name, out var file)) return false;
        await using var stream = typeof(TerminalPage).Assembly.GetManifestResourceStream("BerthTerminal/" + file.Resource)
                                 ?? throw new InvalidOperationException($"The terminal's {file.Resource} is not embedded in the build.");
        context.Response.ContentType = file.ContentType;
        context.Response.ContentLength = stream.Length;
        // The page itself is tied to a ticket; the libraries never change within one build.
        context.Response.Headers.CacheControl = name == "" ? "no-store" : "private, max-age=3600";
        context.Response.Headers.XContentTypeOptions = "nosniff";
        await stream.CopyToAsync(context.Response.Body, context.RequestAborted);
        return true;
    }
}
