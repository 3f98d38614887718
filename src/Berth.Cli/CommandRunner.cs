using System.CommandLine;
using Berth.Client;

namespace Berth.Cli;

/// <summary>
/// Runs a command body with the CLI's error policy: expected failures print <c>error: ...</c> (no stack trace)
/// and exit 1; Ctrl+C exits 130 after the body has stopped cleanly.
/// </summary>
internal static class CommandRunner
{
    public static void SetHandler(this Command command, Func<ParseResult, CliContext, CancellationToken, Task> body) =>
        command.SetAction(async (ParseResult result, CancellationToken ct) =>
        {
            try
            {
                using var context = CliContext.Load();
                await body(result, context, ct);
                return BerthCli.ExitOk;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                Output.Error("cancelled");
                return BerthCli.ExitCancelled;
            }
            catch (BerthApiException e)
            {
                Output.Error(e);
                return BerthCli.ExitFailed;
            }
            catch (CliException e)
            {
                Output.Error(e.Message);
                return e.ExitCode;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Output.Error(e.Message);
                return BerthCli.ExitFailed;
            }
        });
}
