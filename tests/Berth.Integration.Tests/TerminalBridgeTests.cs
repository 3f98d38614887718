using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Berth.Core.Agents;
using Berth.Core.Terminals;
using Berth.Manager.Apps;
using Berth.Manager.Terminals;

namespace Berth.Integration.Tests;

/// <summary>Issue 6's input: terminal traffic counts as the session's activity (a fake agent; no server needed).</summary>
public class TerminalBridgeTests
{
    [Fact]
    public async Task Bytes_through_the_terminal_are_recorded_in_the_sessions_traffic_meter()
    {
        var meter = new SessionTrafficMeter(TimeProvider.System);
        var agent = new EchoAgent();
        var bridge = new TerminalBridge(new OneAgent(agent), meter);
        var target = new TerminalTarget(Guid.NewGuid(), "metered", agent.AgentId, "container-1");
        var (server, client) = await SocketPairAsync();

        var run = bridge.RunAsync(server, target, await bridge.OpenAsync(target, 80, 24, CancellationToken.None), CancellationToken.None);
        await using var terminal = new WebSocketTerminal(client);
        await terminal.WriteAsync("hello"u8.ToArray(), CancellationToken.None);
        var buffer = new byte[64];
        Assert.Equal(5, await terminal.ReadAsync(buffer, CancellationToken.None));
        await terminal.DisposeAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));

        var traffic = meter.Get(target.SessionId);
        Assert.NotNull(traffic);
        Assert.Equal(5, traffic.BytesIn);
        Assert.Equal(5, traffic.BytesOut);
        Assert.True(agent.Closed, "the bridge ends the shell's connection when the user leaves");
    }

    private static async Task<(WebSocket Server, WebSocket Client)> SocketPairAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        var accept = listener.AcceptTcpClientAsync();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await accept;
        return (WebSocket.CreateFromStream(server.GetStream(), true, null, TimeSpan.Zero),
            WebSocket.CreateFromStream(client.GetStream(), false, null, TimeSpan.Zero));
    }

    private sealed class OneAgent(IAgentControl agent) : IAgentDirectory
    {
        public IReadOnlyList<IAgentControl> All => [agent];
        public IAgentControl? Find(string agentId) => agentId == agent.AgentId ? agent : null;
    }

    /// <summary>A "shell" that echoes what is typed.</summary>
    private sealed class EchoAgent : IAgentControl, ITerminalConnection
    {
        private readonly System.Threading.Channels.Channel<byte[]> _echo = System.Threading.Channels.Channel.CreateUnbounded<byte[]>();
        public bool Closed;
        public string AgentId => "fake-agent";

        public Task<ITerminalConnection> OpenTerminalAsync(string containerId, TerminalRequest request, CancellationToken ct) =>
            Task.FromResult<ITerminalConnection>(this);

        public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct)
        {
            var chunk = await _echo.Reader.ReadAsync(ct);
            chunk.CopyTo(buffer);
            return chunk.Length;
        }

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> input, CancellationToken ct) => await _echo.Writer.WriteAsync(input.ToArray(), ct);
        public Task ResizeAsync(int columns, int rows, CancellationToken ct) => Task.CompletedTask;
        public Task<int?> ExitCodeAsync(CancellationToken ct) => Task.FromResult<int?>(null);

        public ValueTask DisposeAsync()
        {
            Closed = true;
            return ValueTask.CompletedTask;
        }

        public Task<ImageInfo?> InspectImageAsync(string reference, CancellationToken ct) => throw new NotSupportedException();
        public Task<ExecOutcome> ExecAsync(string containerId, IReadOnlyList<string> command, CancellationToken ct) => throw new NotSupportedException();
        public Task StreamLogsAsync(string containerId, bool follow, Stream destination, CancellationToken ct) => throw new NotSupportedException();
        public Task<ImageInfo> CommitAsync(string containerId, string repository, string tag, CancellationToken ct) => throw new NotSupportedException();
        public Task RemoveImageAsync(string reference, CancellationToken ct) => throw new NotSupportedException();
        public Task<IReadOnlyDictionary<int, string>> InspectPortsAsync(string containerId, CancellationToken ct) => throw new NotSupportedException();
        public Task StartServiceAsync(string containerId, string name, string command, CancellationToken ct) => throw new NotSupportedException();
        public void Nudge() { }
    }
}
