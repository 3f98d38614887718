namespace Berth.Core.Terminals;

/// <param name="Columns">Initial width in characters.</param>
/// <param name="Rows">Initial height in lines.</param>
public sealed record TerminalRequest(int Columns, int Rows);

/// <summary>
/// An interactive shell with a TTY in a session's container: output bytes come out of <see cref="ReadAsync"/>,
/// keystrokes go in through <see cref="WriteAsync"/>. Disposing it ends the connection.
/// </summary>
public interface ITerminalConnection : IAsyncDisposable
{
    /// <summary>Reads output; 0 when the shell has ended (then <see cref="ExitCodeAsync"/> says how).</summary>
    ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct);

    ValueTask WriteAsync(ReadOnlyMemory<byte> input, CancellationToken ct);

    Task ResizeAsync(int columns, int rows, CancellationToken ct);

    /// <summary>The shell's exit code once it has ended; null when it is unknown (the connection broke).</summary>
    Task<int?> ExitCodeAsync(CancellationToken ct);
}
