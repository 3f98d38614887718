using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Berth.Integration.Tests.Infrastructure;

/// <summary>
/// A loopback TCP relay in front of the server, for tests that need to see or break the wire: it counts
/// connections and the bytes clients send, and can lose one answer — forward a request, let the server
/// answer it in full, and close the client's connection instead of delivering that answer, as a network
/// that fails at the worst moment would — or be cut altogether (<see cref="Cut"/>, <see cref="Restore"/>).
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];
    private readonly Task _accepting;
    private readonly TaskCompletionSource _dropped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Regex? _dropAnswer;
    private CancellationTokenSource _connectionsAlive = new();
    private volatile bool _cut;
    private int _connections;
    private long _bytesToServer;

    public TcpRelay(Uri target)
    {
        _target = new IPEndPoint(IPAddress.Parse(target.Host), target.Port);
        _listener.Start();
        Endpoint = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");
        _accepting = AcceptAsync();
    }

    /// <summary>Where clients connect instead of the server.</summary>
    public Uri Endpoint { get; }

    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Every byte clients sent, request heads and bodies.</summary>
    public long BytesToServer => Interlocked.Read(ref _bytesToServer);

    /// <summary>Completes when the armed answer has been lost.</summary>
    public Task Dropped => _dropped.Task;

    /// <summary>
    /// Loses the answer to the PATCH that completes an upload of <paramref name="length"/> bytes: the
    /// server's <c>204</c> carrying <c>Upload-Offset: length</c>. Only the first such answer is lost.
    /// </summary>
    public void LoseFinalPatchAnswer(long length) =>
        _dropAnswer = new Regex($@"HTTP/1\.1 204[^\r\n]*\r\n(?:[^\r\n]+\r\n)*?Upload-Offset: {length}\r\n", RegexOptions.IgnoreCase);

    /// <summary>Loses the next answer with this status (e.g. the <c>201</c> of a create): the server has served it in full.</summary>
    public void LoseNextAnswer(int status) =>
        _dropAnswer = new Regex($@"HTTP/1\.1 {status} ", RegexOptions.CultureInvariant);

    /// <summary>
    /// Drops every open connection and refuses new ones (each is reset as soon as it is accepted) until
    /// <see cref="Restore"/>: both ends see a closed connection, as on a dropped route, never a silent hang.
    /// </summary>
    public void Cut()
    {
        _cut = true;
        CancellationTokenSource old;
        lock (_pumps)
        {
            old = _connectionsAlive;
            _connectionsAlive = new CancellationTokenSource();
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
                    // Closing with linger 0 sends a reset: the client fails at once.
                    client.Client.LingerState = new LingerOption(true, 0);
                    client.Dispose();
                    continue;
                }
                Interlocked.Increment(ref _connections);
                lock (_pumps) _pumps.Add(RelayAsync(client, _connectionsAlive.Token));
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
                var up = PumpAsync(client.GetStream(), server.GetStream(), toServer: true, linked);
                var down = PumpAsync(server.GetStream(), client.GetStream(), toServer: false, linked);
                await Task.WhenAny(up, down);
                // One side closed (or the answer was lost): end the other too, as a broken connection would.
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

    private async Task PumpAsync(NetworkStream from, NetworkStream to, bool toServer, CancellationTokenSource connection)
    {
        var buffer = new byte[64 * 1024];
        var tail = "";
        try
        {
            while (true)
            {
                var n = await from.ReadAsync(buffer, connection.Token);
                if (n == 0) return;
                if (toServer)
                {
                    Interlocked.Add(ref _bytesToServer, n);
                }
                else if (_dropAnswer is { } answer)
                {
                    // Latin-1 keeps one char per byte, so a match index is a byte index. The tail keeps a
                    // response head split across reads matchable.
                    var text = tail + Encoding.Latin1.GetString(buffer, 0, n);
                    var match = answer.Match(text);
                    if (match.Success && Interlocked.Exchange(ref _dropAnswer, null) is not null)
                    {
                        var before = match.Index - tail.Length;
                        if (before > 0) await to.WriteAsync(buffer.AsMemory(0, before), connection.Token);
                        _dropped.TrySetResult();
                        return;
                    }
                    tail = text.Length > 4096 ? text[^4096..] : text;
                }
                await to.WriteAsync(buffer.AsMemory(0, n), connection.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // the other side went away
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
        _connectionsAlive.Dispose();
    }
}
