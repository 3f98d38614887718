using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Berth.Core.Apps;
using Berth.Core.Problems;
using Berth.Core.Sessions;
using Berth.Manager.Auth;
using Berth.Manager.Data;
using Berth.Manager.Sessions;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Manager.Apps;

/// <summary>
/// Each opened app on a port of its own (Backend.AI's wsproxy model): a small Kestrel server per port whose only
/// handler is the app proxy's pipeline (<see cref="AppProxy.ServePortAsync"/>), so an app sits at the root of an origin
/// of its own and its absolute links work. Ports come from <see cref="AppsOptions.PortRange"/>, are really bound (other
/// programs may hold some) and go back to the pool when their grants are revoked: the session stopped running or
/// was destroyed (this manager's session events, and a sweep for what other managers did), or the app was closed.
/// </summary>
public sealed partial class AppListeners : IHostedService, IAsyncDisposable
{
    private readonly AppProxy _proxy;
    private readonly IServer _server;
    private readonly IServiceProvider _services;
    private readonly SessionEventHub _events;
    private readonly ILogger<AppListeners> _log;
    private readonly AppsOptions _options;
    private readonly ConcurrentDictionary<int, Listener> _listeners = new();
    private readonly SemaphoreSlim _pick = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private Task? _watch;

    private sealed record Listener(int Port, string Token, WebApplication App);

    public AppListeners(AppProxy proxy, IServer server, IServiceProvider services, SessionEventHub events, IOptions<AppsOptions> options,
        ILogger<AppListeners> log)
    {
        _proxy = proxy;
        _server = server;
        _services = services;
        _events = events;
        _log = log;
        _options = options.Value;
        if (!AppPortRange.TryParse(_options.PortRange, out var range, out var error))
            throw new OptionsValidationException(AppsOptions.Section, typeof(AppsOptions), [$"Apps:PortRange: {error}"]);
        Range = range;
        _proxy.Revoked += grants =>
        {
            foreach (var g in grants)
                if (g.Port is { } port) _ = StopAsync(port);
        };
    }

    /// <summary>Null when the pool is off.</summary>
    public AppPortRange? Range { get; }

    public IReadOnlyCollection<int> PortsInUse => _listeners.Keys.ToList();

    /// <summary>
    /// Gives <paramref name="grant"/> a port of its own: <paramref name="preferred"/> when it is in the pool and free,
    /// else the first free one. Returns a note when the preferred port was not used; throws 503
    /// <c>app-port-pool-exhausted</c> when no port of the pool can be bound.
    /// </summary>
    public async Task<string?> StartAsync(AppGrant grant, int? preferred, CancellationToken ct)
    {
        var range = Range ?? throw new InvalidOperationException("the app port pool is off");
        var address = BindAddress();
        await _pick.WaitAsync(ct);
        try
        {
            foreach (var port in range.Candidates(preferred, new HashSet<int>(_listeners.Keys)))
            {
                if (!CanBind(address, port)) continue;
                var app = Build(address, port, grant.Token);
                try
                {
                    await app.StartAsync(ct);
                }
                catch (IOException)
                {
                    await app.DisposeAsync(); // taken between the probe and the bind
                    continue;
                }
                _listeners[port] = new Listener(port, grant.Token, app);
                grant.Port = port;
                Log.Listening(_log, grant.App, grant.SessionId, address.ToString(), port);
                if (preferred is not { } p || p == port) return null;
                return range.Contains(p)
                    ? $"Preferred port {p} is taken; the app got port {port}."
                    : $"Preferred port {p} is outside the app port pool {range}; the app got port {port}.";
            }
        }
        finally
        {
            _pick.Release();
        }
        throw new Problem(503, "app-port-pool-exhausted",
            $"Every port of the app port pool {range} is in use; close an app (`berth app SESSION APP --close`) or end a session, or widen Apps:PortRange.").ToException();
    }

    private static bool CanBind(IPAddress address, int port)
    {
        try
        {
            using var probe = new TcpListener(address, port);
            probe.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private WebApplication Build(IPAddress address, int port, string token)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(address, port);
            k.AddServerHeader = false;
            k.Limits.MaxRequestBodySize = null; // the app decides (notebook uploads)
        });
        builder.Services.AddLogging();
        var app = builder.Build();
        app.UseWebSockets(); // for apps the manager serves itself (the web terminal's socket)
        app.Run(async context =>
        {
            // The manager's HMAC scheme, so that the owner's (or an admin's) signed requests get through here too.
            await using var scope = _services.CreateAsyncScope();
            context.RequestServices = scope.ServiceProvider;
            if (Berth.Core.Auth.RequestSignature.TryParseAuthorization(context.Request.Headers.Authorization, out _, out _))
            {
                var result = await context.AuthenticateAsync(HmacAuthenticationHandler.SchemeName);
                if (result.Succeeded) context.User = result.Principal;
            }
            await _proxy.ServePortAsync(context, token, port);
        });
        return app;
    }

    /// <summary>The configured address, else the host the manager listens on (a wildcard binds every interface).</summary>
    private IPAddress BindAddress()
    {
        if (!string.IsNullOrWhiteSpace(_options.BindAddress))
            return IPAddress.TryParse(_options.BindAddress, out var configured) ? configured : Resolve(_options.BindAddress);
        var first = _server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (first is null) return IPAddress.Loopback;
        var host = first.Split("://", 2)[^1];
        host = host[..host.LastIndexOf(':')].Trim('[', ']');
        return host switch
        {
            "+" or "*" or "0.0.0.0" => IPAddress.Any,
            "::" => IPAddress.IPv6Any,
            _ => IPAddress.TryParse(host, out var ip) ? ip : Resolve(host),
        };
    }

    private static IPAddress Resolve(string host) =>
        host == "localhost" ? IPAddress.Loopback : Dns.GetHostAddresses(host).FirstOrDefault() ?? IPAddress.Loopback;

    private async Task StopAsync(int port)
    {
        if (!_listeners.TryRemove(port, out var listener)) return;
        try
        {
            await listener.App.StopAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException) { }
        finally
        {
            await listener.App.DisposeAsync();
        }
        Log.Stopped(_log, port);
    }

    Task IHostedService.StartAsync(CancellationToken ct)
    {
        if (Range is not null) _watch = WatchAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    /// <summary>Ends the apps of sessions that stop running: at once for this manager's events, within a minute for other managers'.</summary>
    private async Task WatchAsync(CancellationToken ct)
    {
        var (id, reader) = _events.Subscribe();
        try
        {
            var sweep = Task.Delay(TimeSpan.FromSeconds(30), ct);
            while (!ct.IsCancellationRequested)
            {
                var next = reader.WaitToReadAsync(ct).AsTask();
                if (await Task.WhenAny(next, sweep) == sweep)
                {
                    await SweepAsync(ct);
                    sweep = Task.Delay(TimeSpan.FromSeconds(30), ct);
                    continue;
                }
                if (!await next) break;
                while (reader.TryRead(out var envelope))
                    if (envelope.Event.Status != SessionStatus.Running.ToWire()) _proxy.Revoke(envelope.Event.SessionId);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        finally
        {
            _events.Unsubscribe(id);
        }
    }

    private async Task SweepAsync(CancellationToken ct)
    {
        var open = _proxy.SessionsWithGrants;
        if (open.Count == 0) return;
        try
        {
            await using var scope = _services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BerthDbContext>();
            var running = await db.Sessions.AsNoTracking().Where(s => open.Contains(s.Id) && s.Status == SessionStatus.Running)
                .Select(s => s.Id).ToListAsync(ct);
            foreach (var id in open.Except(running)) _proxy.Revoke(id);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.SweepFailed(_log, e);
        }
    }

    async Task IHostedService.StopAsync(CancellationToken ct)
    {
        await _stopping.CancelAsync();
        if (_watch is not null) await _watch;
        foreach (var port in _listeners.Keys) await StopAsync(port);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var port in _listeners.Keys) await StopAsync(port);
        _stopping.Dispose();
        _pick.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "App {App} of session {SessionId} is served on {Address}:{Port}")]
        public static partial void Listening(ILogger log, string app, Guid sessionId, string address, int port);

        [LoggerMessage(Level = LogLevel.Information, Message = "App port {Port} is closed and back in the pool")]
        public static partial void Stopped(ILogger log, int port);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Checking which sessions with open apps still run failed")]
        public static partial void SweepFailed(ILogger log, Exception e);
    }
}
