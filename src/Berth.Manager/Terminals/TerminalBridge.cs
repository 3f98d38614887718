using System.Net.WebSockets;
using Berth.Core.Agents;
using Berth.Core.Problems;
using Berth.Core.Terminals;
using Berth.Manager.Apps;
using Microsoft.AspNetCore.Http;

namespace Berth.Manager.Terminals;

/// <summary>Which container a terminal opens in: the session's main container on its agent.</summary>
public sealed record TerminalTarget(Guid SessionId, string SessionName, string AgentId, string ContainerId);

/// <summary>
/// Joins a WebSocket (<see cref="TerminalProtocol"/>) to a shell in a session's container, whoever accepted the socket
/// and however its caller was authenticated (HMAC API, terminal ticket, or the app proxy's <c>terminal</c> app). Bytes from the
/// user count as traffic in, bytes to the user as traffic out, in <see cref="SessionTrafficMeter"/>, so a terminal
/// in use keeps its session from looking idle.
/// </summary>
public sealed class TerminalBridge(IAgentDirectory agents, SessionTrafficMeter meter)
{
    /// <summary>Starts the shell; a refusal throws a problem (call it before accepting the socket, so the caller can answer it).</summary>
    public async Task<ITerminalConnection> OpenAsync(TerminalTarget target, int cols, int rows, CancellationToken ct)
    {
        var agent = agents.Find(target.AgentId)
                    ?? throw new Problem(503, "agent-unavailable", $"The agent running '{target.SessionName}' is not reachable.").ToException();
        var terminal = await agent.OpenTerminalAsync(target.ContainerId,
            new TerminalRequest(TerminalProtocol.SizeOrDefault(cols, TerminalProtocol.DefaultCols), TerminalProtocol.SizeOrDefault(rows, TerminalProtocol.DefaultRows)), ct);
        meter.Record(target.SessionId, 0, 0);
        return terminal;
    }

    /// <summary>Pumps until the shell ends (the client gets its exit code) or the client goes away; then ends the shell's connection.</summary>
    public async Task RunAsync(WebSocket socket, TerminalTarget target, ITerminalConnection terminal, CancellationToken ct)
    {
        await using (terminal)
            await TerminalPump.RunAsync(socket, terminal, (bytesIn, bytesOut) => meter.Record(target.SessionId, bytesIn, bytesOut), ct);
    }

    /// <summary>
    /// Accepts the WebSocket upgrade for a shell already opened (<see cref="OpenAsync"/>, so that a refusal could still be
    /// answered in problem+json) and runs it; a failed accept ends the shell.
    /// </summary>
    public async Task AcceptAndRunAsync(HttpContext context, TerminalTarget target, ITerminalConnection terminal, CancellationToken ct)
    {
        WebSocket socket;
        try
        {
            socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        }
        catch
        {
            await terminal.DisposeAsync();
            throw;
        }
        using (socket)
            await RunAsync(socket, target, terminal, ct);
    }
}
