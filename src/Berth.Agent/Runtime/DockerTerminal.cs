using Berth.Core.Terminals;
using Docker.DotNet;
using Docker.DotNet.Models;

namespace Berth.Agent.Runtime;

/// <summary>A <c>docker exec -it</c>: one exec with a TTY, attached both ways.</summary>
internal sealed class DockerTerminal(IDockerClient docker, string execId, MultiplexedStream stream) : ITerminalConnection
{
    /// <summary>
    /// Decided inside the container, since images differ: tmux when it is there (<c>-A</c> attaches to the session's
    /// one <c>main</c> tmux session, so every terminal shares windows and scroll-back and a reconnect finds them again),
    /// else a login bash, else sh.
    /// </summary>
    public static readonly IReadOnlyList<string> ShellCommand =
    [
        "/bin/sh", "-c",
        "if command -v tmux >/dev/null 2>&1; then exec tmux new-session -A -s main; fi; " +
        "if command -v bash >/dev/null 2>&1; then exec bash -l; fi; exec sh -l",
    ];

    private readonly SemaphoreSlim _write = new(1, 1);

    public static async Task<DockerTerminal> StartAsync(IDockerClient docker, string containerId, string user, TerminalRequest request, CancellationToken ct)
    {
        var exec = await docker.Exec.CreateContainerExecAsync(containerId, new ContainerExecCreateParameters
        {
            Cmd = ShellCommand.ToList(),
            TTY = true,
            AttachStdin = true,
            AttachStdout = true,
            AttachStderr = true,
            User = user,
            WorkingDir = ContainerSpecFactory.Home,
            Env = ["TERM=xterm-256color", "HOME=" + ContainerSpecFactory.Home],
        }, ct);
        var stream = await docker.Exec.StartContainerExecAsync(exec.ID, new ContainerExecStartParameters { TTY = true }, ct);
        var terminal = new DockerTerminal(docker, exec.ID, stream);
        // A TTY starts at Docker's default size; the shell learns the real one from this resize (SIGWINCH).
        await terminal.InitialResizeAsync(request, ct);
        return terminal;
    }

    /// <summary>Docker refuses a resize until the exec's process runs, which may be a moment after start (as `docker exec -it` does, retry).</summary>
    private async Task InitialResizeAsync(TerminalRequest request, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ResizeAsync(request.Columns, request.Rows, ct);
                return;
            }
            catch (DockerApiException) when (attempt < 10)
            {
                await Task.Delay(20 * attempt, ct);
            }
            catch (DockerApiException)
            {
                return; // the shell keeps Docker's default size until the client's next resize
            }
        }
    }

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct)
    {
        var array = new byte[buffer.Length];
        var result = await stream.ReadOutputAsync(array, 0, array.Length, ct);
        if (result.EOF) return 0;
        array.AsSpan(0, result.Count).CopyTo(buffer.Span);
        return result.Count;
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> input, CancellationToken ct)
    {
        await _write.WaitAsync(ct);
        try
        {
            await stream.WriteAsync(input.ToArray(), 0, input.Length, ct);
        }
        finally
        {
            _write.Release();
        }
    }

    public Task ResizeAsync(int columns, int rows, CancellationToken ct) =>
        docker.Exec.ResizeExecTtyAsync(execId, new ContainerResizeParameters
        {
            Width = TerminalProtocol.ClampSize(columns),
            Height = TerminalProtocol.ClampSize(rows),
        }, ct);

    public async Task<int?> ExitCodeAsync(CancellationToken ct)
    {
        // The exec may still be winding down just after its output closed.
        for (var i = 0; i < 20; i++)
        {
            var inspect = await docker.Exec.InspectContainerExecAsync(execId, ct);
            if (!inspect.Running) return (int?)inspect.ExitCode;
            await Task.Delay(50, ct);
        }
        return null;
    }

    public ValueTask DisposeAsync()
    {
        stream.Dispose();
        _write.Dispose();
        return ValueTask.CompletedTask;
    }
}
