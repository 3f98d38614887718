using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Berth.Client;
using Berth.Core.Contracts;
using Spectre.Console;

namespace Berth.Cli.Commands;

/// <summary><c>berth session create|list|info|logs|exec|rename|commit|destroy|events|apps|terminal</c>.</summary>
internal static class SessionCommands
{
    public static Command Build()
    {
        var session = new Command("session", "Start, inspect and stop compute sessions (containers)");
        foreach (var c in new[] { Create(), List(), Info(), Logs(), Exec(), Rename(), Commit(), Destroy(), Events(), AppCommands.SessionApps(), TerminalCommand.Build(), KeepAlive(), SessionHistoryCommands.Build() })
            session.Subcommands.Add(c);
        return session;
    }

    internal static Argument<string> SessionArgument() => new("name") { Description = "The session's name or id" };

    /// <summary>The options of <c>session create</c>, and how they make a <see cref="CreateSessionRequest"/>.</summary>
    internal sealed class CreateOptions
    {
        public readonly Argument<string> Image = new("image") { Description = "Image name from `berth image list` (or its reference)" };
        public readonly Option<string> Name = new("--name", "-t") { Description = "Session name (default: one the server makes up)" };
        public readonly Option<string> Type = new("--type") { Description = "interactive (runs until destroyed) or batch (runs the startup command, then ends)" };
        public readonly Option<string> StartupCommand = new("--startup-command", "-c") { Description = "Command to run at start (required for batch sessions)" };
        public readonly Option<IReadOnlyDictionary<string, string>?> Environment = new("--env", "-e")
        {
            Description = "Environment variable KEY=VALUE (repeatable)",
            HelpName = "KEY=VALUE",
            Arity = ArgumentArity.ZeroOrMore,
            CustomParser = SessionOptionParsers.ParseEnvironment,
        };
        public readonly Option<ResourceRequestDto?> Resources = new("--resource", "-r")
        {
            Description = "Resource: cpu=2, mem=4g, shmem=256m (repeatable; default: the image's minimum)",
            HelpName = "KEY=VALUE",
            Arity = ArgumentArity.ZeroOrMore,
            CustomParser = SessionOptionParsers.ParseResources,
        };
        public readonly Option<IReadOnlyList<MountRequestDto>?> Mounts = new("--mount", "-m")
        {
            Description = "Mount a folder (repeatable; PATH defaults to /home/work/NAME, permission to yours)",
            HelpName = "NAME[=PATH][:ro|:rw|:wd]",
            Arity = ArgumentArity.ZeroOrMore,
            CustomParser = SessionOptionParsers.ParseMounts,
        };
        public readonly Option<bool> Wait = new("--wait") { Description = "Wait until it runs (batch: until it ends) and exit 0 only if it did (well)" };
        public readonly Option<string> ResourceGroup = new("--resource-group", "-g") { Description = "Resource group to run in (default: default)" };
        public readonly Option<string> Preset = new("--preset") { Description = "Resource preset (`berth resource presets`); -r overrides parts of it" };
        public readonly Option<DateTimeOffset?> StartsAt = new("--starts-at")
        {
            Description = "Batch: not before this time (ISO 8601, or relative: 30s, 10m, 2h, 1d)",
            CustomParser = r => SessionOptionParsers.ParseStartsAt(r, DateTimeOffset.UtcNow),
        };
        public readonly Option<double?> BatchTimeout = new("--batch-timeout")
        {
            Description = "Batch: end the session (reason batch-timeout) this long after it starts (e.g. 5s, 30m, 2h)",
            CustomParser = SessionOptionParsers.ParseDurationSeconds,
        };
        public readonly Option<int> Count = new("--count") { Description = "Start N sessions with these settings (names get -1, -2, ...)", DefaultValueFactory = _ => 1 };
        public readonly Option<string> AssignAgent = new("--assign-agent") { Description = "Admins: run on this agent" };
        public readonly Option<string> Owner = new("--owner", "-o") { Description = "Admins: launch on behalf of this user (email)" };
        public readonly Option<int?> ClusterSize = new("--cluster-size") { Description = "Containers in the session (main1, sub1, …), reaching each other by hostname" };
        public readonly Option<string> ClusterMode = new("--cluster-mode") { Description = "single-node (all on one agent) or multi-node" };
        public readonly Option<bool> Json = LoginCommands.JsonOption();
        public readonly Option<IReadOnlyList<int>?> Preopen = AppCommands.PreopenOption();
        public readonly Option<string> IdempotencyKey = IdempotencyOption.Create();

        public CreateOptions()
        {
            Type.AcceptOnlyFromAmong("interactive", "batch");
            ClusterMode.AcceptOnlyFromAmong("single-node", "multi-node");
        }

        public Command Command(string name, string description) =>
            new(name, description) { Image, Name, Type, StartupCommand, Environment, Resources, Mounts, Wait, ResourceGroup, Preset, StartsAt, BatchTimeout, Count, AssignAgent, Owner, ClusterSize, ClusterMode, Json, Preopen, IdempotencyKey };

        public CreateSessionRequest ToRequest(ParseResult r) => new(
            r.GetValue(Image), r.GetValue(Name), r.GetValue(Type), r.GetValue(StartupCommand),
            r.GetValue(Environment), r.GetValue(Resources), r.GetValue(Mounts), r.GetValue(ResourceGroup), r.GetValue(Preset),
            r.GetValue(StartsAt), r.GetValue(BatchTimeout), r.GetValue(AssignAgent), r.GetValue(Owner), r.GetValue(ClusterSize), r.GetValue(ClusterMode),
            r.GetValue(Preopen));
    }

    internal static Command Create()
    {
        var o = new CreateOptions();
        var command = o.Command("create", "Start a session from an image");
        command.SetHandlerWithExitCode(async (r, context, ct) =>
        {
            var count = r.GetValue(o.Count);
            if (count is < 1 or > 100) throw new CliException("--count must be between 1 and 100", BerthCli.ExitUsage);
            var key = r.GetValue(o.IdempotencyKey);
            if (count == 1) return await CreateOneAsync(r, context, o.ToRequest(r), key, ct);
            // Those that do not fit now simply wait in the queue; each is created and reported in turn.
            var worst = BerthCli.ExitOk;
            var request = o.ToRequest(r);
            for (var i = 1; i <= count; i++)
            {
                var code = await CreateOneAsync(r, context, request with { Name = request.Name is null ? null : $"{request.Name}-{i}" },
                    key is null ? null : $"{key}-{i}", ct);
                worst = Math.Max(worst, code);
            }
            return worst;
        });
        return command;

        async Task<int> CreateOneAsync(ParseResult r, CliContext context, CreateSessionRequest request, string? key, CancellationToken ct)
        {
            var json = r.GetValue(o.Json);
            var created = await context.Client.CreateSessionAsync(request, key, ct);
            if (!json) Output.Done($"Created session {created.Name} ({created.Id}), {created.Status}.");
            if (!r.GetValue(o.Wait))
            {
                if (json) Output.WriteJson(created);
                return BerthCli.ExitOk;
            }

            var final = await WaitWithProgressAsync(context.Client, created, ct);
            if (json) Output.WriteJson(final);
            var failure = SessionWait.FailureMessage(final);
            if (failure is not null)
            {
                Output.Error(failure);
                return SessionWait.ExitCodeFor(final);
            }
            if (!json)
                Output.Done(SessionWait.IsBatch(final)
                    ? $"Session {final.Name} finished: exit code {final.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "-"} ({final.Result ?? "success"})."
                    : $"Session {final.Name} is {final.Status}.");
            return BerthCli.ExitOk;
        }
    }

    /// <summary>Waits for the session with a spinner and its status history on stderr (plain lines when not a terminal).</summary>
    private static async Task<SessionDto> WaitWithProgressAsync(BerthClient client, SessionDto created, CancellationToken ct)
    {
        var trail = new StatusTrail();
        try
        {
            SessionDto final;
            if (Output.StderrIsTerminal)
            {
                final = await Output.Stderr.Status().Spinner(Spinner.Known.Dots).StartAsync(
                    Markup.Escape($"{created.Name}: {created.Status}"),
                    ctx => SessionWait.WaitAsync(client, created, s =>
                    {
                        foreach (var change in trail.Update(s))
                            Output.Stderr.MarkupLine("[grey]" + Markup.Escape(HistoryLine(change)) + "[/]");
                        ctx.Status(Markup.Escape($"{s.Name}: {s.Status}" + (SessionWait.IsBatch(s) && s.Status == SessionWait.Running ? " (waiting for it to end)" : "")));
                    }, ct));
            }
            else
            {
                final = await SessionWait.WaitAsync(client, created, s =>
                {
                    foreach (var change in trail.Update(s)) Console.Error.WriteLine(HistoryLine(change));
                }, ct);
            }
            Output.Note(trail.Chain);
            return final;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Output.Note($"stopped waiting; the session goes on (`berth session destroy {created.Name}` stops it)");
            throw;
        }
    }

    private static string HistoryLine(StatusChangeDto c) =>
        $"{c.At.ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture)}  {c.Status}" +
        (string.IsNullOrEmpty(c.Reason) ? "" : $"  ({c.Reason})");

    private static Command List()
    {
        var all = new Option<bool>("--all", "-a") { Description = "Include ended sessions (TERMINATED, CANCELLED, ERROR)" };
        var everyone = new Option<bool>("--everyone") { Description = "Admins: also the sessions of the users you outrank, with an Owner column" };
        var json = LoginCommands.JsonOption();
        var command = new Command("list", "List your sessions (live ones unless --all)") { all, everyone, json };
        command.SetHandler(async (r, context, ct) =>
        {
            var withOwners = r.GetValue(everyone);
            var sessions = await context.Client.ListSessionsAsync(r.GetValue(all), withOwners, ct);
            if (r.GetValue(json)) { Output.WriteJson(sessions); return; }
            var table = withOwners
                ? Output.Table("Name", "Owner", "Type", "Image", "Status", "Reason", "Created", "Agent")
                : Output.Table("Name", "Type", "Image", "Status", "Reason", "Created", "Agent");
            foreach (var s in sessions.OrderBy(s => s.CreatedAt))
            {
                if (withOwners) table.AddRow(s.Name, s.Owner, s.Type, s.Image, s.Status, s.StatusReason ?? "", Output.Time(s.CreatedAt), s.Agent ?? "");
                else table.AddRow(s.Name, s.Type, s.Image, s.Status, s.StatusReason ?? "", Output.Time(s.CreatedAt), s.Agent ?? "");
            }
            Output.Write(table);
        });
        return command;
    }

    private static Command Info()
    {
        var session = SessionArgument();
        var json = LoginCommands.JsonOption();
        var command = new Command("info", "Show a session's details and status history") { session, json };
        command.SetHandler(async (r, context, ct) =>
        {
            var s = await context.Client.GetSessionAsync(r.GetValue(session)!, ct);
            if (r.GetValue(json)) { Output.WriteJson(s); return; }
            Output.WriteDetails(Details(s));
            if (s.IdleChecks is { Count: > 0 } checks)
            {
                var idle = Output.Table("Idle check", "Ends the session in", "Details");
                foreach (var c in checks) idle.AddRow(c.Checker, IdleRemaining(c), IdleDetails(c));
                Output.Write(idle);
            }
            if (s.StatusHistory.Count > 0)
            {
                var table = Output.Table("At", "Status", "Reason");
                foreach (var c in s.StatusHistory) table.AddRow(Time(c.At), c.Status, c.Reason ?? "");
                Output.Write(table);
            }
        });
        return command;
    }

    internal static IEnumerable<(string Key, string? Value)> Details(SessionDto s)
    {
        var mounts = s.Mounts.Count == 0 ? "-" : string.Join("\n", s.Mounts.Select(m =>
            $"{m.Folder} → {m.Path} ({m.Permission}{(m.AutoMount ? ", auto-mount" : "")})"));
        var env = s.Environment.Count == 0 ? "-" : string.Join("\n", s.Environment.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}"));
        var exit = s.ExitCode is { } code ? code.ToString(CultureInfo.InvariantCulture) + (s.Result is null ? "" : $" ({s.Result})") : s.Result ?? "-";
        return [
            ("Name", s.Name),
            ("Id", s.Id.ToString()),
            ("Owner", s.Owner),
            ("Type", s.Type),
            ("Image", s.Image),
            ("Status", s.Status + (string.IsNullOrEmpty(s.StatusReason) ? "" : $" ({s.StatusReason})")),
            .. Waiting(s),
            ("Resource group", s.ResourceGroup),
            .. (s.ClusterSize > 1 ? new[] { ("Cluster", $"{s.ClusterSize} containers, {s.ClusterMode}") } : []),
            ("Startup command", s.StartupCommand ?? "-"),
            .. (s.StartsAt is { } at ? new[] { ("Starts at", Time(at)) } : []),
            .. (s.BatchTimeoutSeconds is { } limit ? new[] { ("Batch timeout", TimeSpan.FromSeconds(limit).ToString()) } : []),
            ("Mounts", mounts),
            ("Resources", $"cpu {s.Resources.Cpu.ToString(CultureInfo.InvariantCulture)}, mem {Output.Size(s.Resources.MemoryBytes)}, shmem {Output.Size(s.Resources.ShmemBytes)}"
                          + (s.Resources.CudaDevices > 0 ? $", cuda.device {s.Resources.CudaDevices}" : "")),
            ("Environment", env),
            ("Created", Time(s.CreatedAt)),
            ("Started", s.StartedAt is { } started ? Time(started) : "-"),
            ("Terminated", s.TerminatedAt is { } ended ? Time(ended) : "-"),
            ("Agent", s.Agent ?? "-"),
            ("Container", s.ContainerId is { Length: > 12 } id ? id[..12] : s.ContainerId ?? "-"),
            ("Exit code", exit),
            ("Warnings", s.Warnings.Count == 0 ? "-" : string.Join("\n", s.Warnings)),
        ];
    }

    private static string IdleRemaining(IdleCheckDto c) =>
        c.Exempt ? "never (exempt)" : !c.Enabled ? "off" : c.RemainingSeconds is { } r ? Seconds(r) : "-";

    private static string Seconds(double s) => TimeSpan.FromSeconds(Math.Round(s)).ToString();

    private static string IdleDetails(IdleCheckDto c)
    {
        if (!c.Enabled) return c.Note ?? "";
        if (c.Checker == "network-timeout")
            return c.ExtendedUntil is { } until ? $"kept alive until {Time(until)}" : "counts from the last app, terminal or exec traffic";
        if (c.Checker != "utilization") return "counts from the start";
        if (c.GraceRemainingSeconds is > 0 and var grace) return $"grace period: {Seconds(grace)} left, nothing checked before";
        var parts = (c.Thresholds ?? new Dictionary<string, double>()).Select(t =>
            $"{t.Key} {(c.Averages is not null && c.Averages.TryGetValue(t.Key, out var a) ? a.ToString("0.#", CultureInfo.InvariantCulture) + "%" : "-")} (threshold {t.Value.ToString(CultureInfo.InvariantCulture)}%)");
        var verdict = c.Idle switch { true => "idle", false => "in use", _ => "no samples yet" };
        return $"{string.Join(", ", parts)}, {c.Operator}: {verdict}";
    }

    private static Command KeepAlive()
    {
        var session = SessionArgument();
        var seconds = new Option<double?>("--seconds", "--for")
        {
            Description = "Keep it alive this long from now (e.g. 2h; default: the network idle timeout, at most what your policy allows)",
            CustomParser = SessionOptionParsers.ParseDurationSeconds,
        };
        var json = LoginCommands.JsonOption();
        var command = new Command("keep-alive", "Push a running interactive session's network idle deadline ahead") { session, seconds, json };
        command.SetHandler(async (r, context, ct) =>
        {
            var s = await context.Client.KeepSessionAliveAsync(r.GetValue(session)!, r.GetValue(seconds), ct);
            if (r.GetValue(json)) { Output.WriteJson(s); return; }
            var network = s.IdleChecks?.FirstOrDefault(c => c.Checker == "network-timeout");
            Output.Done($"Session {s.Name} is kept alive" + (network?.RemainingSeconds is { } left ? $" for {Seconds(left)} without traffic." : "."));
        });
        return command;
    }

    /// <summary>For a pending session: where it stands in the queue and why it has not started.</summary>
    private static IEnumerable<(string, string)> Waiting(SessionDto s)
    {
        if (s.QueuePosition is { } position) yield return ("Queue position", position.ToString(CultureInfo.InvariantCulture));
        if (s.WaitReasons is { Count: > 0 } reasons)
            yield return ("Waiting because", string.Join("\n", reasons.Select(r => (r.Permanent ? "will never start: " : "") + r.Message)));
    }

    /// <summary>Session times to the second: lifecycles are short.</summary>
    internal static string Time(DateTimeOffset t) => t.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static Command Logs()
    {
        var session = SessionArgument();
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new output until the session ends (or Ctrl+C)" };
        var kernel = new Option<string>("--kernel", "-k") { Description = "In a cluster session: which container (main1, sub1, …; default main1)" };
        var command = new Command("logs", "Print the container's output (stdout and stderr)") { session, follow, kernel };
        command.SetHandlerWithExitCode(async (r, context, ct) =>
        {
            await using var stdout = Console.OpenStandardOutput();
            try
            {
                await context.Client.StreamLogsAsync(r.GetValue(session)!, r.GetValue(follow), r.GetValue(kernel), stdout, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested && r.GetValue(follow))
            {
                return BerthCli.ExitCancelled; // Ctrl+C is how one stops following: no error message.
            }
            return BerthCli.ExitOk;
        });
        return command;
    }

    private static Command Exec()
    {
        var session = SessionArgument();
        var commandLine = new Argument<string[]>("command")
        {
            Description = "The command and its arguments, after `--` (e.g. -- python -c 'print(1)')",
            Arity = ArgumentArity.OneOrMore,
        };
        var kernel = new Option<string>("--kernel", "-k") { Description = "In a cluster session: which container (main1, sub1, …; default main1)" };
        var command = new Command("exec", "Run a command in a session and wait for it; exits with its exit code") { session, kernel, commandLine };
        command.SetHandlerWithExitCode(async (r, context, ct) =>
        {
            var result = await context.Client.ExecAsync(r.GetValue(session)!, r.GetValue(commandLine)!, r.GetValue(kernel), ct);
            await Console.Out.WriteAsync(result.Stdout);
            await Console.Out.FlushAsync(ct);
            await Console.Error.WriteAsync(result.Stderr);
            await Console.Error.FlushAsync(ct);
            return result.ExitCode;
        });
        return command;
    }

    private static Command Rename()
    {
        var session = SessionArgument();
        var newName = new Argument<string>("new-name") { Description = "The new name (4–64 letters, digits, '_', '.', '-')" };
        var json = LoginCommands.JsonOption();
        var command = new Command("rename", "Rename a running session") { session, newName, json };
        command.SetHandler(async (r, context, ct) =>
        {
            var s = await context.Client.RenameSessionAsync(r.GetValue(session)!, r.GetValue(newName)!, ct);
            if (r.GetValue(json)) { Output.WriteJson(s); return; }
            Output.Done($"Renamed session {r.GetValue(session)} to {s.Name}.");
        });
        return command;
    }

    private static Command Commit()
    {
        var session = SessionArgument();
        var imageName = new Argument<string>("image-name") { Description = "Name of the new image (4–32 letters, digits, '.', '_', '-'); launch it as customized-NAME" };
        var json = LoginCommands.JsonOption();
        var command = new Command("commit", "Save a running interactive session's container as a customized image only you can use") { session, imageName, json };
        command.SetHandler(async (r, context, ct) =>
        {
            var image = await context.Client.CommitSessionAsync(r.GetValue(session)!, r.GetValue(imageName)!, ct);
            if (r.GetValue(json)) { Output.WriteJson(image); return; }
            ImageCommands.WriteImported(image);
            Output.Note($"start it with `berth session create {image.Name}`; folders and /home/work are not in it");
        });
        return command;
    }

    private static Command Destroy()
    {
        var session = SessionArgument();
        var json = LoginCommands.JsonOption();
        var force = new Option<bool>("--force") { Description = "Stop it even while it is being committed to an image (the commit fails)" };
        var command = new Command("destroy", "Stop a session (a pending one is cancelled)") { session, force, json };
        command.SetHandler(async (r, context, ct) =>
        {
            var s = await context.Client.DestroySessionAsync(r.GetValue(session)!, r.GetValue(force), ct);
            if (r.GetValue(json)) { Output.WriteJson(s); return; }
            Output.Done(s.Status == SessionWait.Cancelled
                ? $"Cancelled session {s.Name} (it had not started)."
                : $"Destroying session {s.Name} ({s.Status}).");
        });
        return command;
    }

    private static Command Events()
    {
        var session = new Argument<string>("name") { Description = "Only this session's events (default: all of yours)", Arity = ArgumentArity.ZeroOrOne };
        var json = new Option<bool>("--json") { Description = "Print each event as one JSON object per line" };
        var command = new Command("events", "Print session lifecycle events as they happen, until Ctrl+C") { session, json };
        command.SetHandlerWithExitCode(async (r, context, ct) =>
        {
            var asJson = r.GetValue(json);
            try
            {
                await foreach (var e in context.Client.WatchEventsAsync(r.GetValue(session), ct))
                {
                    Console.Out.WriteLine(asJson ? JsonSerializer.Serialize(e, BerthClient.JsonOptions) : EventLine(e));
                    Console.Out.Flush();
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return BerthCli.ExitCancelled; // Ctrl+C is the way out: no error message.
            }
            throw new CliException("the server closed the event stream");
        });
        return command;
    }

    internal static string EventLine(SessionEventDto e) =>
        $"{Time(e.At)}  {e.SessionName}  {e.Status}" +
        (string.IsNullOrEmpty(e.Reason) ? "" : $"  ({e.Reason})") +
        (e.ExitCode is { } code ? $"  exit code {code.ToString(CultureInfo.InvariantCulture)}" : "");
}
