using System.Net.WebSockets;
using System.Text;

namespace Berth.Core.Terminals;

/// <summary>
/// The server's end of a terminal WebSocket: keystrokes and resizes from the socket go to the terminal, its output
/// goes back, and when the shell ends the client gets <c>{"type":"exit","code":N}</c> and a normal close.
/// Used by the manager (socket from the browser or CLI) and by a remote agent (socket from the manager).
/// </summary>
public static class TerminalPump
{
    /// <param name="count">Told of every chunk: bytes from the user, bytes to the user (for idle checks).</param>
    public static async Task RunAsync(WebSocket socket, ITerminalConnection terminal, Action<long, long>? count, CancellationToken ct)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var input = PumpInputAsync(socket, terminal, count, stop.Token);
        var output = PumpOutputAsync(socket, terminal, count, stop.Token);
        var first = await Task.WhenAny(input, output);
        if (first == input)
        {
            // The user went away (or the socket broke): stop reading the shell; the caller disposes it.
            await stop.CancelAsync();
        }
        else
        {
            // The shell ended and the close went out: give the client a moment to answer the close.
            stop.CancelAfter(TimeSpan.FromSeconds(5));
        }
        await Task.WhenAll(Quietly(input), Quietly(output));
    }

    private static async Task Quietly(Task task)
    {
        try { await task; }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException or IOException) { }
    }

    private static async Task PumpInputAsync(WebSocket socket, ITerminalConnection terminal, Action<long, long>? count, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        var text = new List<byte>();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(), ct);
            if (result.MessageType == WebSocketMessageType.Close) return;
            count?.Invoke(result.Count, 0);
            if (result.MessageType == WebSocketMessageType.Binary)
            {
                if (result.Count > 0) await terminal.WriteAsync(buffer.AsMemory(0, result.Count), ct);
                continue;
            }
            if (text.Count + result.Count > 64 * 1024) text.Clear(); // no control message is that long
            text.AddRange(buffer.AsSpan(0, result.Count));
            if (!result.EndOfMessage) continue;
            var message = Encoding.UTF8.GetString(text.ToArray());
            text.Clear();
            if (TerminalProtocol.TryParse(message, out var control) && control.IsResize)
                await terminal.ResizeAsync(control.Cols, control.Rows, ct);
        }
    }

    /// <summary>The only sender on the socket, so sends never overlap.</summary>
    private static async Task PumpOutputAsync(WebSocket socket, ITerminalConnection terminal, Action<long, long>? count, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await terminal.ReadAsync(buffer.AsMemory(), ct)) > 0)
        {
            await socket.SendAsync(buffer.AsMemory(0, read), WebSocketMessageType.Binary, endOfMessage: true, ct);
            count?.Invoke(0, read);
        }
        var code = await terminal.ExitCodeAsync(ct);
        await socket.SendAsync(Encoding.UTF8.GetBytes(TerminalProtocol.Exit(code)), WebSocketMessageType.Text, endOfMessage: true, ct);
        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "shell ended", ct);
    }
}
