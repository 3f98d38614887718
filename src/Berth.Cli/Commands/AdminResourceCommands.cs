using System.CommandLine;
using System.Globalization;
using Berth.Core.Contracts;
using Berth.Core.Units;

namespace Berth.Cli.Commands;

/// <summary><c>berth admin resource-group|preset|policy ...</c>.</summary>
internal static class AdminResourceCommands
{
    public static IEnumerable<Command> All() => [Groups(), Presets(), Policies()];

    private sealed class GroupOptions
    {
        public readonly Argument<string> Name = new("name") { Description = "Resource group name" };
        public readonly Option<string> Scheduler = new("--scheduler") { Description = "Queue order: fifo, lifo or drf" };
        public readonly Option<string> Selection = new("--agent-selection") { Description = "dispersed, concentrated or roundrobin" };
        public readonly Option<string> Types = new("--allowed-types") { Description = "Session types it takes: interactive,batch" };
        public readonly Option<double?> PendingTimeout = new("--pending-timeout")
        {
            Description = "Cancel sessions still pending after this long (e.g. 10m)",
            CustomParser = SessionOptionParsers.ParseDurationSeconds,
        };
        public readonly Option<bool?> Public = new("--public") { Description = "Open to every user (true/false)" };
        public readonly Option<bool> Json = LoginCommands.JsonOption();
        public readonly IdleOptions Idle = new();

        public GroupOptions()
        {
            Scheduler.AcceptOnlyFromAmong("fifo", "lifo", "drf");
            Selection.AcceptOnlyFromAmong("dispersed", "concentrated", "roundrobin");
        }

        public Command Command(string name, string description)
        {
            var command = new Command(name, description) { Name, Scheduler, Selection, Types, PendingTimeout, Public, Json };
            foreach (var o in Idle.All) command.Options.Add(o);
            return command;
        }

        public SaveResourceGroupRequest Request(ParseResult r) => new(r.GetValue(Name), null, r.GetValue(Scheduler), r.GetValue(Selection),
            r.GetValue(Types)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), r.GetValue(PendingTimeout), r.GetValue(Public), Idle.Request(r));
    }

    private static Command Groups()
    {
        var group = new Command("resource-group", "Manage resource groups (where sessions run, and how they queue)");
        var createOptions = new GroupOptions();
        var create = createOptions.Command("create", "Create a resource group");
        create.SetHandler(async (r, context, ct) => Show(await context.Client.CreateResourceGroupAsync(createOptions.Request(r), ct), r.GetValue(createOptions.Json)));
        var updateOptions = new GroupOptions();
        var update = updateOptions.Command("update", "Change a resource group's settings");
        update.SetHandler(async (r, context, ct) =>
            Show(await context.Client.UpdateResourceGroupAsync(r.GetValue(updateOptions.Name)!, updateOptions.Request(r), ct), r.GetValue(updateOptions.Json)));

        var grantName = new Argument<string>("name") { Description = "Resource group name" };
        var user = new Option<string>("--user") { Description = "A user's email" };
        var project = new Option<string>("--project") { Description = "A project's name" };
        var grantJson = LoginCommands.JsonOption();
        var grant = new Command("grant", "Let a user or a project's members use the group") { grantName, user, project, grantJson };
        grant.SetHandler(async (r, context, ct) => Show(await context.Client.GrantResourceGroupAsync(r.GetValue(grantName)!,
            new ResourceGroupGrantRequest(r.GetValue(user), r.GetValue(project)), ct), r.GetValue(grantJson)));

        var listJson = LoginCommands.JsonOption();
        var list = new Command("list", "List resource groups") { listJson };
        list.SetHandler(async (r, context, ct) =>
        {
            var groups = await context.Client.ListResourceGroupsAsync(ct);
            if (r.GetValue(listJson)) { Output.WriteJson(groups); return; }
            var table = Output.Table("Name", "Scheduler", "Agent selection", "Types", "Pending timeout", "Public", "Users", "Projects", "Idle checks");
            foreach (var g in groups)
                table.AddRow(g.Name, g.Scheduler, g.AgentSelection, string.Join(",", g.AllowedSessionTypes),
                    g.PendingTimeoutSeconds is { } t ? TimeSpan.FromSeconds(t).ToString() : "-", Output.YesNo(g.IsPublic), string.Join(", ", g.Users), string.Join(", ", g.Projects), DescribeIdle(g.IdleChecks));
            Output.Write(table);
        });
        foreach (var c in new[] { create, update, grant, list }) group.Subcommands.Add(c);
        return group;
    }

    private static void Show(ResourceGroupDto g, bool json)
    {
        if (json) Output.WriteJson(g);
        else Output.Done($"Resource group {g.Name}: {g.Scheduler}, {g.AgentSelection}, takes {string.Join(" and ", g.AllowedSessionTypes)} sessions{(g.IsPublic ? ", open to all" : "")}; idle checks: {DescribeIdle(g.IdleChecks)}.");
    }

    internal static string DescribeIdle(IdleChecksDto? idle)
    {
        if (idle is null) return "none";
        var parts = new List<string>();
        if (idle.NetworkTimeoutSeconds is { } t) parts.Add(t > 0 ? $"network {TimeSpan.FromSeconds(t)}" : "network off");
        if (idle.MaxIdleExtensionSeconds is { } x) parts.Add($"keep-alive up to {TimeSpan.FromSeconds(x)}");
        if (idle.Utilization is { } u)
        {
            if (u.Enabled == false) parts.Add("utilization off");
            else
            {
                var th = string.Join(" ", new[] { ("cpu", u.Cpu), ("mem", u.Mem), ("cuda", u.Cuda) }.Where(p => p.Item2 is not null)
                    .Select(p => $"{p.Item1}<{p.Item2!.Value.ToString(CultureInfo.InvariantCulture)}%"));
                parts.Add($"utilization {th} ({u.Operator ?? "and"}), grace {Dur(u.GracePeriodSeconds)}, window {Dur(u.TimeWindowSeconds)}");
            }
        }
        return parts.Count == 0 ? "none" : string.Join("; ", parts);
    }

    private static string Dur(double? seconds) => seconds is { } s ? TimeSpan.FromSeconds(s).ToString() : "-";

    private static Command Presets()
    {
        var preset = new Command("preset", "Manage resource presets");
        var name = new Argument<string>("name") { Description = "Preset name" };
        var cpu = new Option<double>("--cpu") { Description = "CPU cores", Required = true };
        var mem = new Option<string>("--mem") { Description = "Memory, e.g. 4g", Required = true };
        var shmem = new Option<string>("--shmem") { Description = "Shared memory, e.g. 256m" };
        var group = ResourceCommands.GroupOption();
        var json = LoginCommands.JsonOption();
        var create = new Command("create", "Create or replace a preset (in one group, or in all)") { name, cpu, mem, shmem, group, json };
        create.SetHandler(async (r, context, ct) =>
        {
            var memory = Size(r.GetValue(mem), "--mem");
            var shared = r.GetValue(shmem) is { } s ? Size(s, "--shmem") : (long?)null;
            var saved = await context.Client.SaveResourcePresetAsync(new SaveResourcePresetRequest(r.GetValue(name), r.GetValue(group), r.GetValue(cpu), memory, shared), ct);
            if (r.GetValue(json)) Output.WriteJson(saved);
            else Output.Done($"Preset {saved.Name}: cpu {saved.Cpu.ToString(CultureInfo.InvariantCulture)}, mem {Output.Size(saved.MemoryBytes)}.");
        });
        preset.Subcommands.Add(create);
        return preset;
    }

    private static Command Policies()
    {
        var policy = new Command("policy", "Manage resource policies (per-user limits)");
        var name = new Argument<string>("name") { Description = "Policy name (the policy named 'default' applies to users without one)" };
        var concurrent = new Option<int?>("--max-sessions") { Description = "Most sessions running at once" };
        var slots = new Option<string>("--max-slots") { Description = "Most resources in use at once, e.g. 'cpu=8 mem=32g'" };
        var pending = new Option<int?>("--max-pending") { Description = "Most sessions waiting at once" };
        var containers = new Option<int?>("--max-containers-per-session") { Description = "Largest cluster size" };
        var lifetime = new Option<double?>("--max-lifetime") { Description = "Longest a session may live (e.g. 8h)", CustomParser = SessionOptionParsers.ParseDurationSeconds };
        var images = new Option<int?>("--max-customized-images") { Description = "Most customized images per user" };
        var json = LoginCommands.JsonOption();
        var idle = new IdleOptions();
        var create = new Command("create", "Create or replace a policy") { name, concurrent, slots, pending, containers, lifetime, images, json };
        foreach (var o in idle.All) create.Options.Add(o);
        create.SetHandler(async (r, context, ct) =>
        {
            var saved = await context.Client.SaveResourcePolicyAsync(new ResourcePolicyDto(r.GetValue(name)!, r.GetValue(concurrent), r.GetValue(slots),
                r.GetValue(pending), r.GetValue(containers), r.GetValue(lifetime), r.GetValue(images), idle.Request(r)), ct);
            if (r.GetValue(json)) Output.WriteJson(saved);
            else Output.Done($"Policy {saved.Name} saved.");
        });

        var listJson = LoginCommands.JsonOption();
        var list = new Command("list", "List policies") { listJson };
        list.SetHandler(async (r, context, ct) =>
        {
            var all = await context.Client.ListResourcePoliciesAsync(ct);
            if (r.GetValue(listJson)) { Output.WriteJson(all); return; }
            var table = Output.Table("Name", "Sessions", "Slots", "Pending", "Containers/session", "Lifetime", "Idle checks");
            foreach (var p in all)
                table.AddRow(p.Name, Num(p.MaxConcurrentSessions), p.MaxTotalSlots ?? "-", Num(p.MaxPendingSessions), Num(p.MaxContainersPerSession),
                    p.MaxSessionLifetimeSeconds is { } l ? TimeSpan.FromSeconds(l).ToString() : "-", DescribeIdle(p.IdleChecks));
            Output.Write(table);
        });

        var email = new Argument<string>("email") { Description = "The user's email" };
        var policyName = new Argument<string>("policy") { Description = "Policy name ('none' for the default)" };
        var assign = new Command("assign", "Give a user a policy") { email, policyName };
        assign.SetHandler(async (r, context, ct) =>
        {
            var chosen = r.GetValue(policyName) is "none" ? null : r.GetValue(policyName);
            await context.Client.AssignResourcePolicyAsync(r.GetValue(email)!, chosen, ct);
            Output.Done($"{r.GetValue(email)} now has policy {chosen ?? "default"}.");
        });
        foreach (var c in new[] { create, list, assign }) policy.Subcommands.Add(c);
        return policy;
    }

    private static string Num(int? n) => n?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private static long Size(string? text, string option) =>
        ByteSize.TryParse(text, out var bytes) ? bytes : throw new CliException($"{option} '{text}' is not a size like 512m or 4g", BerthCli.ExitUsage);
}
