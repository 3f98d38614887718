using System.CommandLine;
using System.Runtime.InteropServices;
using Berth.Cli.Commands;
using Berth.Cli.Hosting;

namespace Berth.Cli;

/// <summary>The <c>berth</c> command tree and its exit codes: 0 ok, 1 failed, 2 usage error, 130 cancelled.</summary>
public static class BerthCli
{
    public const int ExitOk = 0, ExitFailed = 1, ExitUsage = 2, ExitCancelled = 130;

    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Berth: container compute sessions with persistent storage folders.");
        foreach (var command in LoginCommands.All()) root.Subcommands.Add(command);
        foreach (var command in KeyPairCommands.All()) root.Subcommands.Add(command);
        root.Subcommands.Add(AdminCommands.Build());
        root.Subcommands.Add(VFolderCommands.Build());
        root.Subcommands.Add(ImageCommands.Build());
        root.Subcommands.Add(SessionCommands.Build());
        root.Subcommands.Add(AppCommands.App());
        root.Subcommands.Add(ResourceCommands.Build());
        foreach (var command in HostingCommands.All()) root.Subcommands.Add(command);
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var parse = BuildRoot().Parse(args);
        // Our own Ctrl+C/SIGTERM handling: the first signal cancels the running command (transfers stop cleanly
        // and can be resumed), a second one ends the process the hard way.
        using var cancel = new CancellationTokenSource();
        void OnSignal(PosixSignalContext signal)
        {
            if (cancel.IsCancellationRequested) return;
            signal.Cancel = true;
            cancel.Cancel();
        }
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        var code = await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, cancel.Token);
        // System.CommandLine reports parse errors with 1; usage errors are 2 by Unix convention.
        return parse.Errors.Count > 0 ? ExitUsage : code;
    }
}
