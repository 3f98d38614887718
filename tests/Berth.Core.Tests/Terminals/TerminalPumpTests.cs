using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;
using Berth.Core.Terminals;

namespace Berth.Core.Tests.Terminals;

/// <summary>The server's pump and the client's <see cref="WebSocketTerminal"/> talking over a real (loopback) WebSocket.</summary>
public class TerminalPumpTests
{
    [Fact]
    public async Task Keys_output_resizes_and_the_exit_code_cross_and_every_byte_is_counted()
    {
        var (serverSocket, clientSocket) = await SocketPairAsync();
        var shell = new FakeShell();
        long bytesIn = 0, bytesOut = 0;
        var pump = TerminalPump.RunAsync(serverSocket, shell, (i, o) =>
        {
            Interlocked.Add(ref bytesIn, i);
            Interlocked.Add(ref bytesOut, o);
        }, CancellationToken.None);
        await using var client = new WebSocketTerminal(clientSocket);

        await client.WriteAsync("ls\r"u8.ToArray(), CancellationToken.None);
        Assert.Equal("ls\r", await shell.NextInputAsync());
        await client.ResizeAsync(132, 43, CancellationToken.None);
        Assert.Equal((132, 43), await shell.Resizes.Reader.ReadAsync());

        await shell.Output.Writer.WriteAsync("hello\r\n"u8.ToArray());
        var buffer = new byte[64];
        var read = await client.ReadAsync(buffer, CancellationToken.None);
        Assert.Equal("hello\r\n", Encoding.UTF8.GetString(buffer, 0, read));

        shell.ExitCode = 7;
        shell.Output.Writer.Complete();
        Assert.Equal(0, await client.ReadAsync(buffer, CancellationToken.None));
        Assert.Equal(7, await client.ExitCodeAsync(CancellationToken.None));
        await client.DisposeAsync();
        await pump.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(3 + TerminalProtocol.Resize(132, 43).Length, Interlocked.Read(ref bytesIn));
        Assert.Equal(7, Interlocked.Read(ref bytesOut));
    }

    [Fact]
    public async Task When_the_client_leaves_the_pump_ends_without_waiting_for_the_shell()
    {
        var (serverSocket, clientSocket) = await SocketPairAsync();
        var shell = new FakeShell();
        var pump = TerminalPump.RunAsync(serverSocket, shell, null, CancellationToken.None);
        await clientSocket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        await pump.WaitAsync(TimeSpan.FromSeconds(10));
        clientSocket.Dispose();
    }

    [Fact]
    public async Task A_broken_connection_reads_as_the_end_with_no_exit_code()
    {
        var (serverSocket, clientSocket) = await SocketPairAsync();
        await using var client = new WebSocketTerminal(clientSocket);
        serverSocket.Abort();
        serverSocket.Dispose();
        Assert.Equal(0, await client.ReadAsync(new byte[16], CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Null(await client.ExitCodeAsync(CancellationToken.None));
    }

    private static async Task<(WebSocket Server, WebSocket Client)> SocketPairAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        var accept = listener.AcceptTcpClientAsync();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await accept;
        return (WebSocket.CreateFromStream(server.GetStream(), isServer: true, subProtocol: null, TimeSpan.Zero),
            WebSocket.CreateFromStream(client.GetStream(), isServer: false, subProtocol: null, TimeSpan.Zero));
    }

    private sealed class FakeShell : ITerminalConnection
    {
        public readonly Channel<byte[]> Output = Channel.CreateUnbounded<byte[]>();
        public readonly Channel<byte[]> Input = Channel.CreateUnbounded<byte[]>();
        public readonly Channel<(int, int)> Resizes = Channel.CreateUnbounded<(int, int)>();
        public int? ExitCode;

        public async Task<string> NextInputAsync() => Encoding.UTF8.GetString(await Input.Reader.ReadAsync());

        public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct)
        {
            if (!await Output.Reader.WaitToReadAsync(ct)) return 0;
            var chunk = await Output.Reader.ReadAsync(ct);
            chunk.CopyTo(buffer);
            return chunk.Length;
        }

        public async ValueTask WriteAsync(ReadOnlyMemory<byte> input, CancellationToken ct) => await Input.Writer.WriteAsync(input.ToArray(), ct);

        public async Task ResizeAsync(int columns, int rows, CancellationToken ct) => await Resizes.Writer.WriteAsync((columns, rows), ct);

        public Task<int?> ExitCodeAsync(CancellationToken ct) => Task.FromResult(ExitCode);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
