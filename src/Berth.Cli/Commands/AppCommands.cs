using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Berth.Core.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth session apps</c>, <c>berth app</c> and the <c>--preopen</c> option of <c>session create</c>.</summary>
internal static class AppCommands
{
    public static Option<IReadOnlyList<int>?> PreopenOption() => new("--preopen")
    {
        Description = "Container ports to publish as apps (port-N) besides the image's services, e.g. --preopen 8080,8081",
        HelpName = "PORT[,PORT…]",
        Arity = ArgumentArity.ZeroOrMore,
        CustomParser = ParsePreopen,
    };

    /// <summary>Comma-separated and/or repeated; only the syntax is checked here, the rules are the server's.</summary>
    public static IReadOnlyList<int>? ParsePreopen(ArgumentResult result)
    {
        var ports = new List<int>();
        foreach (var part in result.Tokens.SelectMany(t => t.Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            if (!int.TryParse(part, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var port))
            {
                result.AddError($"--preopen '{part}': write port numbers, e.g. --preopen 8080,8081");
                return null;
            }
            ports.Add(port);
        }
        return ports.Count == 0 ? null : ports;
    }

    public static Command SessionApps()
    {
        var session = SessionCommands.SessionArgument();
        var json = LoginCommands.JsonOption();
        var command = new Command("apps", "List a session's apps (service ports and preopen ports) for `berth app`") { session, json };
        command.SetHandler(async (r, context, ct) =>
        {
            var apps = await context.Client.ListAppsAsync(r.GetValue(session)!, ct);
            if (r.GetValue(json)) { Output.WriteJson(apps); return; }
            var table = Output.Table("App", "Protocol", "Port", "Kind");
            foreach (var a in apps) table.AddRow(a.Name, a.Protocol, a.ContainerPort > 0 ? a.ContainerPort.ToString(CultureInfo.InvariantCulture) : "-", a.Kind);
            Output.Write(table);
        });
        return command;
    }

    public static Command App()
    {
        var session = SessionCommands.SessionArgument();
        var app = new Argument<string>("app") { Description = "The app's name from `berth session apps` (or its container port)" };
        var isPublic = new Option<bool>("--public") { Description = "Anyone with the URL may use it (default: only you, through the URL's secret)" };
        var preferred = new Option<int?>("--preferred-port")
        {
            Description = "The manager host port to serve the app on, when it is in the app port pool and free (else another port of the pool)",
            HelpName = "PORT",
        };
        var local = new Option<int?>("--port")
        {
            Description = "Also serve the app on 127.0.0.1:PORT of this machine, with your credentials added, until Ctrl-C",
            HelpName = "LOCAL",
        };
        var close = new Option<bool>("--close") { Description = "Close the app instead: its URLs stop working and its ports go back to the pool" };
        var json = LoginCommands.JsonOption();
        var command = new Command("app", "Open a session's app through the manager's app proxy and print its URL")
        {
            session, app, isPublic, preferred, local, close, json,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(local) is { } p && p is < 1 or > 65535) r.AddError("--port: a port is 1–65535");
            if (r.GetValue(close) && (r.GetValue(local) is not null || r.GetValue(isPublic) || r.GetValue(preferred) is not null))
                r.AddError("--close takes no --port, --public or --preferred-port");
        });
        command.SetHandler(async (r, context, ct) =>
        {
            if (r.GetValue(close))
            {
                var closed = await context.Client.CloseAppAsync(r.GetValue(session)!, r.GetValue(app)!, ct);
                if (r.GetValue(json)) { Output.WriteJson(closed); return; }
                Output.Done(closed.Closed == 0 ? "The app was not open." : $"Closed {closed.Closed} URL(s) of app {r.GetValue(app)}.");
                return;
            }
            var opened = await context.Client.OpenAppAsync(r.GetValue(session)!, r.GetValue(app)!,
                new OpenAppRequest(r.GetValue(isPublic) ? true : null, r.GetValue(preferred)), ct);
            if (r.GetValue(local) is { } localPort)
            {
                if (opened.Note is not null) Output.Note(opened.Note);
                await AppLocalForward.RunAsync(opened, localPort, ct);
                return;
            }
            if (r.GetValue(json)) { Output.WriteJson(opened); return; }
            Output.Done(opened.Url);
            if (opened.Note is not null) Output.Note(opened.Note);
            if (!opened.Public) Output.Note("the URL carries a secret that logs your browser in to this app: share it only with --public");
        });
        return command;
    }
}
