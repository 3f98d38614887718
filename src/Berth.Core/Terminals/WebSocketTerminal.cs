using System.Net.WebSockets;
using System.Text;

namespace Berth.Core.Terminals;

/// <summary>
/// The client's end of a terminal WebSocket (<see cref="TerminalProtocol"/>) as an <see cref="ITerminalConnection"/>:
/// the manager uses it to reach a remote agent's terminal, the CLI to reach the manager's.
/// </summary>
public sealed class WebSocketTerminal(WebSocket socket) : ITerminalConnection
{
    private readonly SemaphoreSlim _send = new(1, 1);
    private int? _exitCode;
    private bool _ended;

    public WebSocket Socket => socket;

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct)
    {
        while (!_ended)
        {
            ValueWebSocketReceiveResult result;
            try
            {
                result = await socket.ReceiveAsync(buffer, ct);
            }
            catch (WebSocketException)
            {
                _ended = true; // the connection broke: the exit code stays unknown
                break;
            }
            switch (result.MessageType)
            {
                case WebSocketMessageType.Binary when result.Count > 0:
                    return result.Count;
                case WebSocketMessageType.Binary:
                    continue;
                case WebSocketMessageType.Text:
                    var text = await ReadTextAsync(buffer[..result.Count], result.EndOfMessage, ct);
                    if (TerminalProtocol.TryParse(text, out var control) && control.IsExit) _exitCode = control.Code;
                    continue;
                default:
                    _ended = true;
                    break;
            }
        }
        return 0;
    }

    /// <summary>Control messages are small; one may still arrive in several pieces.</summary>
    private async Task<string> ReadTextAsync(ReadOnlyMemory<byte> first, bool complete, CancellationToken ct)
    {
        var bytes = new List<byte>(first.ToArray());
        var more = new byte[1024];
        while (!complete && bytes.Count < 64 * 1024)
        {
            var r = await socket.ReceiveAsync(more.AsMemory(), ct);
            bytes.AddRange(more.AsSpan(0, r.Count));
            complete = r.EndOfMessage;
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> input, CancellationToken ct) =>
        await SendAsync(input, WebSocketMessageType.Binary, ct);

    public Task ResizeAsync(int columns, int rows, CancellationToken ct) =>
        SendAsync(Encoding.UTF8.GetBytes(TerminalProtocol.Resize(columns, rows)), WebSocketMessageType.Text, ct);

    public Task<int?> ExitCodeAsync(CancellationToken ct) => Task.FromResult(_exitCode);

    private async Task SendAsync(ReadOnlyMemory<byte> data, WebSocketMessageType type, CancellationToken ct)
    {
        await _send.WaitAsync(ct);
        try
        {
            await socket.SendAsync(data, type, endOfMessage: true, ct);
        }
        finally
        {
            _send.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException) { }
        socket.Dispose();
        _send.Dispose();
    }
}
