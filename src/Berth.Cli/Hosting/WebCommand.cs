using System.CommandLine;

namespace Berth.Cli.Hosting;

/// <summary>`berth web --manager URL --listen ADDR`: the web console on its own.</summary>
public static class WebCommand
{
    public const string DefaultListen = "127.0.0.1:8091";

    public static Command Build()
    {
        var manager = new Option<string>("--manager")
        {
            Description = "The manager's address, e.g. http://10.0.0.5:8090 (or $BERTH_MANAGER).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("BERTH_MANAGER") is { Length: > 0 } m ? m : "http://127.0.0.1:8090",
        };
        // System.CommandLine has no Uri parser: check it here so a typo is a usage error, not a stack trace.
        manager.Validators.Add(r =>
        {
            var value = r.GetValueOrDefault<string>();
            if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
                r.AddError($"--manager must be an http:// or https:// address, not '{value}'.");
        });
        var listen = new Option<string>("--listen")
        {
            Description = "Address and port the console listens on.",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("BERTH_WEB_LISTEN") is { Length: > 0 } l ? l : DefaultListen,
        };
        var dataDir = new Option<string>("--data-dir")
        {
            Description = "Directory for the console's keys and signed-in keypairs (default ./.data-web or $BERTH_WEB_DATA_DIR).",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("BERTH_WEB_DATA_DIR") is { Length: > 0 } d ? d : Path.GetFullPath(".data-web"),
        };
        var command = new Command("web", "Run the web console alone, in front of a Berth manager elsewhere.") { manager, listen, dataDir };
        command.SetAction((result, ct) =>
            WebHost.RunAsync(new Uri(result.GetValue(manager)!), result.GetValue(listen)!, result.GetValue(dataDir)!, ct));
        return command;
    }
}
