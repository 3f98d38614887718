using System.CommandLine;
using System.CommandLine.Invocation;

namespace Berth.Cli.Commands;

/// <summary>
/// Like <see cref="CommandRunner.SetHandler"/> (same error policy), for bodies that decide the exit code
/// themselves: <c>session exec</c> passes the command's on, <c>create --wait</c> its verdict.
/// </summary>
internal static class ExitCodeHandler
{
    public static void SetHandlerWithExitCode(this Command command, Func<ParseResult, CliContext, CancellationToken, Task<int>> body)
    {
        var code = BerthCli.ExitOk;
        command.SetHandler(async (r, context, ct) => code = await body(r, context, ct));
        var inner = (AsynchronousCommandLineAction)command.Action!;
        command.SetAction(async (ParseResult r, CancellationToken ct) =>
        {
            code = BerthCli.ExitOk;
            var result = await inner.InvokeAsync(r, ct);
            return result == BerthCli.ExitOk ? code : result;
        });
    }
}
