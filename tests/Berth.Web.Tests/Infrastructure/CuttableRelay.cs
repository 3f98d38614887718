using System.Net;
using System.Net.Sockets;

namespace Berth.Web.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay between the console and the manager (the idea of the integration tests' TcpRelay), that a
/// test can cut as a network would drop: <see cref="Cut"/> closes every open connection and refuses new ones until
/// <see cref="Restore"/>. Both ends see a closed connection, never a silent hang.
/// </summary>
public sealed class CuttableRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];
    private readonly Task _accepting;
    private CancellationTokenSource _connections = new();
    private volatile bool _cut;

    public CuttableRelay(Uri target)
    {
        _target = new IPEndPoint(IPAddress.Parse(target.Host), target.Port);
        _listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _accepting = AcceptAsync();
    }

    /// <summary>Where the console connects instead of the manager.</summary>
    public Uri Endpoint { get; }

    /// <summary>Drops every open connection and refuses new ones (each is closed as soon as it is accepted).</summary>
    public void Cut()
    {
        _cut = true;
        CancellationTokenSource old;
        lock (_pumps)
        {
            old = _connections;
            _connections = new CancellationTokenSource();
        }
        // Not disposed: a connection being accepted right now may still link to it (and is cut with it).
        old.Cancel();
    }

    /// <summary>Lets connections through again.</summary>
    public void Restore() => _cut = false;

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                if (_cut)
                {
                    // Closing with linger 0 sends a reset: the client fails at once, as on a dropped route.
                    client.Client.LingerState = new LingerOption(true, 0);
                    client.Dispose();
                    continue;
                }
                lock (_pumps) _pumps.Add(RelayAsync(client, _connections.Token));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // stopped
        }
    }

    private async Task RelayAsync(TcpClient client, CancellationToken cut)
    {
        using var server = new TcpClient();
        using (client)
        {
            try
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, cut);
                await server.ConnectAsync(_target, linked.Token);
                var up = PumpAsync(client.GetStream(), server.GetStream(), linked.Token);
                var down = PumpAsync(server.GetStream(), client.GetStream(), linked.Token);
                await Task.WhenAny(up, down);
                // One side closed or the relay was cut: end the other too, as a broken connection would.
                await linked.CancelAsync();
                await Task.WhenAll(up, down);
                if (cut.IsCancellationRequested) client.Client.LingerState = new LingerOption(true, 0);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
            {
                // the connection ended
            }
        }
    }

    private static async Task PumpAsync(NetworkStream from, NetworkStream to, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var n = await from.ReadAsync(buffer, ct);
                if (n == 0) return;
                await to.WriteAsync(buffer.AsMemory(0, n), ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // the other side went away, or the relay was cut
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        Task[] pumps;
        lock (_pumps) pumps = [.. _pumps];
        await Task.WhenAll(pumps);
        _stop.Dispose();
        _connections.Dispose();
    }
}
