using System.CommandLine;
using System.Runtime.InteropServices;
using Berth.Core.Terminals;
using Microsoft.Win32.SafeHandles;

namespace Berth.Cli.Commands;

/// <summary><c>berth session terminal NAME [--web]</c>: the session's shell in this terminal, or its web page's address.</summary>
internal static class TerminalCommand
{
    public static Command Build()
    {
        var session = SessionCommands.SessionArgument();
        var web = new Option<bool>("--web") { Description = "Print the address of the session's terminal page for a browser (valid 10 minutes) instead" };
        var command = new Command("terminal",
            "A shell in the session (inside tmux when the image has it) in this terminal; exits with the shell's exit code") { session, web };
        command.SetHandlerWithExitCode(async (r, context, ct) =>
        {
            var name = r.GetValue(session)!;
            if (r.GetValue(web))
            {
                var ticket = await context.Client.CreateTerminalTicketAsync(name, ct);
                Console.WriteLine(ticket.Url);
                return BerthCli.ExitOk;
            }
            return await RunAsync(context, name, ct);
        });
        return command;
    }

    private static async Task<int> RunAsync(CliContext context, string name, CancellationToken ct)
    {
        var (cols, rows) = WindowSize();
        var socket = await context.Client.ConnectTerminalAsync(name, cols, rows, ct);
        await using var terminal = new WebSocketTerminal(socket);
        // Raw mode only once connected, so that errors print as usual; Ctrl-C then reaches the shell as byte 0x03.
        using var raw = Console.IsInputRedirected ? null : RawMode.Enter();
        using var winch = PosixSignalRegistration.Create(PosixSignal.SIGWINCH, signal =>
        {
            signal.Cancel = true;
            var (c, r) = WindowSize();
            _ = Quietly(terminal.ResizeAsync(c, r, CancellationToken.None));
        });

        // Plain file descriptors, not Console's streams: on a terminal those edit lines and echo by themselves.
        await using var stdout = new FileStream(new SafeFileHandle(1, ownsHandle: false), FileAccess.Write, bufferSize: 0);
        var output = Task.Run(async () =>
        {
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await terminal.ReadAsync(buffer, CancellationToken.None)) > 0)
            {
                await stdout.WriteAsync(buffer.AsMemory(0, read));
                await stdout.FlushAsync();
            }
        });
        _ = Task.Run(async () =>
        {
            await using var stdin = new FileStream(new SafeFileHandle(0, ownsHandle: false), FileAccess.Read, bufferSize: 0);
            var buffer = new byte[4096];
            try
            {
                int read;
                while ((read = await stdin.ReadAsync(buffer)) > 0)
                    await terminal.WriteAsync(buffer.AsMemory(0, read), CancellationToken.None);
                // Piped input ran out: Ctrl-D, as a person would end the shell.
                await terminal.WriteAsync(new byte[] { 4 }, CancellationToken.None);
            }
            catch (Exception e) when (e is IOException or System.Net.WebSockets.WebSocketException or ObjectDisposedException or OperationCanceledException) { }
        }, CancellationToken.None);

        await output;
        var code = await terminal.ExitCodeAsync(CancellationToken.None);
        if (code is null)
        {
            raw?.Dispose();
            Output.Error("the connection to the session's terminal broke");
            return BerthCli.ExitFailed;
        }
        return code.Value;
    }

    private static async Task Quietly(Task task)
    {
        try { await task; }
        catch (Exception e) when (e is System.Net.WebSockets.WebSocketException or ObjectDisposedException or OperationCanceledException) { }
    }

    private static (int Cols, int Rows) WindowSize() => RawMode.WindowSize() ?? (TerminalProtocol.DefaultCols, TerminalProtocol.DefaultRows);
}
