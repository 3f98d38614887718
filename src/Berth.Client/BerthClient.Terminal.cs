using System.Globalization;
using System.Net.WebSockets;
using Berth.Core.Auth;
using Berth.Core.Contracts;

namespace Berth.Client;

public sealed partial class BerthClient
{
    // ---- terminal ------------------------------------------------------------------------------------

    /// <summary>
    /// Opens a shell in the session (tmux when its image has it) and returns the connected WebSocket. It speaks
    /// <see cref="Berth.Core.Terminals.TerminalProtocol"/>; wrap it in <see cref="Berth.Core.Terminals.WebSocketTerminal"/>
    /// to read output, type, resize and learn the exit code. The upgrade request is signed like every API call.
    /// </summary>
    public async Task<WebSocket> ConnectTerminalAsync(string session, int columns, int rows, CancellationToken ct = default)
    {
        var path = SessionPath(session, "/terminal") + string.Create(CultureInfo.InvariantCulture, $"?cols={columns}&rows={rows}");
        var http = new Uri(Endpoint, path);
        var ws = new UriBuilder(http) { Scheme = http.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.FromSeconds(30);
        socket.Options.SetRequestHeader("User-Agent", "berth-client/1.0");
        if (Credentials is { } keys)
        {
            var signed = RequestSignature.Create(keys.AccessKey, keys.SecretKey, "GET", ws.PathAndQuery, DateTime.UtcNow, []);
            foreach (var (name, value) in signed.All()) socket.Options.SetRequestHeader(name, value);
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RequestTimeout);
        try
        {
            await socket.ConnectAsync(ws, timeout.Token).ConfigureAwait(false);
            return socket;
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException)
        {
            socket.Dispose();
            // A refused upgrade says only its status; the same request without the upgrade gets the problem+json.
            using var response = await SendCoreAsync(HttpMethod.Get, path, null, ct).ConfigureAwait(false);
            throw Unreachable(e);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw TimedOut(e);
        }
    }

    /// <summary>A short-lived ticket and the address of the session's terminal page for a browser.</summary>
    public Task<TerminalTicketDto> CreateTerminalTicketAsync(string session, CancellationToken ct = default) =>
        SendJsonAsync<TerminalTicketDto>(HttpMethod.Post, SessionPath(session, "/terminal-tickets"), null, ct);
}
