using System.Net;
using Berth.Core.Contracts;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Yarp.ReverseProxy.Forwarder;

namespace Berth.Cli.Commands;

/// <summary>
/// <c>berth app NAME APP --port LOCAL</c>: serves an opened app on <c>127.0.0.1:LOCAL</c>, forwarding HTTP and WebSocket
/// (YARP's <see cref="IHttpForwarder"/>) to the app's URL with the user's credential added, so that local tools (a
/// browser, an editor's Jupyter client, curl) reach it without the secret in the address.
/// </summary>
internal static class AppLocalForward
{
    public static async Task RunAsync(OpenAppResponse opened, int localPort, CancellationToken ct)
    {
        var (destination, cookie) = Target(opened);
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, localPort);
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null;
        });
        builder.Services.AddHttpForwarder();
        await using var app = builder.Build();
        var forwarder = app.Services.GetRequiredService<IHttpForwarder>();
        using var client = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ActivityHeadersPropagator = null,
            ConnectTimeout = TimeSpan.FromSeconds(15),
        });
        var transformer = new CredentialTransformer(cookie);
        app.Run(async context =>
        {
            var error = await forwarder.SendAsync(context, destination, client, ForwarderRequestConfig.Empty, transformer);
            if (error != ForwarderError.None && !context.Response.HasStarted)
            {
                context.Response.StatusCode = StatusCodes.Status502BadGateway;
                await context.Response.WriteAsync($"berth app --port: forwarding to {destination} failed ({error})\n", ct);
            }
        });
        try
        {
            await app.StartAsync(ct);
        }
        catch (IOException e)
        {
            throw new CliException($"local port {localPort} cannot be listened on ({e.Message}); choose another --port");
        }
        Output.Done($"http://127.0.0.1:{localPort}/");
        Output.Note($"serving app {opened.App} on http://127.0.0.1:{localPort}/ (forwarding to {destination}); Ctrl-C stops");
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException) { }
        await app.StopAsync(CancellationToken.None);
    }

    /// <summary>
    /// Where to forward (the URL without its query: the app's own port, or the path-based URL's <c>/proxy/{token}</c>)
    /// and the auth cookie the proxy expects there (none for a public app).
    /// </summary>
    internal static (string Destination, string? Cookie) Target(OpenAppResponse opened)
    {
        var url = new Uri(opened.Url);
        var secret = QueryHelpers.ParseQuery(url.Query).TryGetValue("berth_auth", out var s) ? s.ToString() : null;
        var destination = url.GetLeftPart(UriPartial.Path).TrimEnd('/');
        var cookieName = opened.Port is { } port && url.Port == port ? $"berth_auth_{port}" : "berth_auth";
        return (destination, string.IsNullOrEmpty(secret) ? null : $"{cookieName}={secret}");
    }

    private sealed class CredentialTransformer(string? cookie) : HttpTransformer
    {
        public override async ValueTask TransformRequestAsync(HttpContext httpContext, HttpRequestMessage proxyRequest, string destinationPrefix, CancellationToken ct)
        {
            await base.TransformRequestAsync(httpContext, proxyRequest, destinationPrefix, ct);
            // The app's address, not this local one: the manager routes host-named apps by Host and checks Origin against it.
            proxyRequest.Headers.Host = null;
            // A page served here is the app's own page: the proxy checks its Origin against the app's address, so the
            // local origin becomes the app's. Any other page's Origin goes on as it is and is refused there.
            if (Berth.Core.Apps.AppOrigin.IsSameOrigin(httpContext.Request.Headers.Origin, httpContext.Request.Scheme, httpContext.Request.Headers.Host))
            {
                proxyRequest.Headers.Remove("Origin");
                proxyRequest.Headers.TryAddWithoutValidation("Origin", new Uri(destinationPrefix).GetLeftPart(UriPartial.Authority));
            }
            if (cookie is null) return;
            var existing = proxyRequest.Headers.TryGetValues("Cookie", out var values) ? string.Join("; ", values) : null;
            proxyRequest.Headers.Remove("Cookie");
            proxyRequest.Headers.TryAddWithoutValidation("Cookie", string.IsNullOrEmpty(existing) ? cookie : existing + "; " + cookie);
        }
    }
}
