using System.CommandLine;
using System.Globalization;
using Berth.Core.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth resource presets|check-presets|usage|groups</c>: what users may ask for.</summary>
internal static class ResourceCommands
{
    public static Command Build()
    {
        var resource = new Command("resource", "Resource presets, remaining capacity and resource groups");
        resource.Subcommands.Add(Presets());
        resource.Subcommands.Add(CheckPresets());
        resource.Subcommands.Add(ResourceUsageCommand.Build());
        resource.Subcommands.Add(Groups());
        return resource;
    }

    internal static Option<string> GroupOption() => new("--resource-group", "-g") { Description = "Resource group (default: default)" };

    private static Command Presets()
    {
        var group = GroupOption();
        var json = LoginCommands.JsonOption();
        var command = new Command("presets", "List resource presets") { group, json };
        command.SetHandler(async (r, context, ct) =>
        {
            var presets = await context.Client.ListResourcePresetsAsync(r.GetValue(group), ct);
            if (r.GetValue(json)) { Output.WriteJson(presets); return; }
            var table = Output.Table("Name", "CPU", "Memory", "Shared memory", "Group");
            foreach (var p in presets)
                table.AddRow(p.Name, p.Cpu.ToString(CultureInfo.InvariantCulture), Output.Size(p.MemoryBytes),
                    p.ShmemBytes is { } shm ? Output.Size(shm) : "-", p.ResourceGroup ?? "(all)");
            Output.Write(table);
        });
        return command;
    }

    private static Command CheckPresets()
    {
        var group = GroupOption();
        var json = LoginCommands.JsonOption();
        var command = new Command("check-presets", "Show what you can still start now, and which presets fit") { group, json };
        command.SetHandler(async (r, context, ct) =>
        {
            var check = await context.Client.CheckPresetsAsync(r.GetValue(group), ct);
            if (r.GetValue(json)) { Output.WriteJson(check); return; }
            var remaining = check.Remaining.Count == 0 ? "nothing" : string.Join(", ", check.Remaining.Select(kv =>
                kv.Key == "mem" ? $"mem {Output.Size((long)kv.Value)}" : $"{kv.Key} {kv.Value.ToString(CultureInfo.InvariantCulture)}"));
            Output.Note($"Resource group {check.ResourceGroup}: you can start up to {remaining} now.");
            var table = Output.Table("Preset", "CPU", "Memory", "Fits now");
            foreach (var p in check.Presets) table.AddRow(p.Name, p.Cpu.ToString(CultureInfo.InvariantCulture), Output.Size(p.MemoryBytes), Output.YesNo(p.FitsNow));
            Output.Write(table);
        });
        return command;
    }

    private static Command Groups()
    {
        var json = LoginCommands.JsonOption();
        var command = new Command("groups", "List the resource groups you may use") { json };
        command.SetHandler(async (r, context, ct) =>
        {
            var groups = await context.Client.ListResourceGroupsAsync(ct);
            if (r.GetValue(json)) { Output.WriteJson(groups); return; }
            var table = Output.Table("Name", "Scheduler", "Agent selection", "Session types", "Pending timeout", "Public");
            foreach (var g in groups)
                table.AddRow(g.Name, g.Scheduler, g.AgentSelection, string.Join(", ", g.AllowedSessionTypes),
                    g.PendingTimeoutSeconds is { } t ? TimeSpan.FromSeconds(t).ToString() : "-", Output.YesNo(g.IsPublic));
            Output.Write(table);
        });
        return command;
    }
}
