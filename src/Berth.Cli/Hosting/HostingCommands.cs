using System.CommandLine;

namespace Berth.Cli.Hosting;

/// <summary>The commands that run Berth's components.</summary>
public static class HostingCommands
{
    public static IEnumerable<Command> All() => [Server(), AgentCommand.Build(), WebCommand.Build()];

    private static Command Server()
    {
        var dataDir = new Option<string>("--data-dir")
        {
            Description = "Directory for the database, storage host 'local' and secrets (default ./.data or $BERTH_DATA_DIR).",
            DefaultValueFactory = _ => ServerSettings.DefaultDataDirectory,
        };
        var listen = new Option<string>("--listen")
        {
            Description = "Address and port to listen on.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("BERTH_LISTEN") is { Length: > 0 } l ? l : ServerSettings.DefaultListen,
        };
        var noAgent = new Option<bool>("--no-agent")
        {
            Description = "Run without the in-process agent: sessions then run only on `berth agent` nodes (same as Agent:Enabled=false).",
        };
        var command = new Command("server", "Run the all-in-one Berth server (manager + storage + this node's agent) on the embedded database.") { dataDir, listen, noAgent };
        command.SetAction((result, ct) =>
            ServerHost.RunAsync(new ServerSettings(result.GetValue(dataDir)!, result.GetValue(listen)!)
            {
                Overrides = result.GetValue(noAgent) ? new Dictionary<string, string?> { ["Agent:Enabled"] = "false" } : new Dictionary<string, string?>(),
            }, ct));
        return command;
    }
}
