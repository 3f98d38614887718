using System.Globalization;
using Berth.Storage.FileSystem;
using Berth.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Berth.Cli.Hosting;

/// <summary>
/// `berth web`: the web console alone, in front of a manager elsewhere (or several behind a balancer), so
/// the console can be scaled and placed apart from the managers. It holds no database, only its own keys.
/// </summary>
public static class WebHost
{
    public static WebApplication Build(Uri manager, string listen, string dataDirectory)
    {
        var data = Path.GetFullPath(dataDirectory);
        PrivatePaths.EnsureDirectory(data);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = data,
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        });
        builder.Configuration.AddEnvironmentVariables("BERTH_");
        builder.WebHost.UseUrls("http://" + listen);
        builder.AddBerthWeb(new WebOptions { Manager = manager, DataDirectory = data });
        var app = builder.Build();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapBerthWeb();
        return app;
    }

    public static async Task<int> RunAsync(Uri manager, string listen, string dataDirectory, CancellationToken ct)
    {
        await using var app = Build(manager, listen, dataDirectory);
        await app.StartAsync(ct);
        await app.WaitForShutdownAsync(ct);
        return 0;
    }

    /// <summary>
    /// The address a process on this machine reaches a server listening on <paramref name="listen"/> at:
    /// a wildcard host (0.0.0.0, [::], *, +) becomes the loopback address.
    /// </summary>
    public static Uri LoopbackUri(string listen)
    {
        var colon = listen.LastIndexOf(':');
        var host = colon < 0 ? listen : listen[..colon];
        var port = colon < 0 ? "80" : listen[(colon + 1)..];
        host = host switch
        {
            "" or "0.0.0.0" or "*" or "+" => "127.0.0.1",
            "[::]" => "[::1]",
            _ => host,
        };
        return new Uri(string.Create(CultureInfo.InvariantCulture, $"http://{host}:{port}"));
    }
}
