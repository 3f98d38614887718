using System.CommandLine;
using System.Globalization;
using Berth.Core.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth resource usage</c>: the caller's use against their policy, and their groups' free capacity (the console's Summary).</summary>
internal static class ResourceUsageCommand
{
    public static Command Build()
    {
        var json = LoginCommands.JsonOption();
        var command = new Command("usage", "Show what your sessions use against your resource policy, and what is free") { json };
        command.SetHandler(async (r, context, ct) =>
        {
            var usage = await context.Client.GetMyUsageAsync(ct);
            if (r.GetValue(json)) { Output.WriteJson(usage); return; }
            Output.Note($"Resource policy {usage.Policy}.");
            var mine = Output.Table("What", "Used", "Limit");
            mine.AddRow("sessions", usage.LiveSessions.ToString(CultureInfo.InvariantCulture), usage.MaxConcurrentSessions?.ToString(CultureInfo.InvariantCulture) ?? "no limit");
            mine.AddRow("pending sessions", usage.PendingSessions.ToString(CultureInfo.InvariantCulture), usage.MaxPendingSessions?.ToString(CultureInfo.InvariantCulture) ?? "no limit");
            foreach (var slot in new[] { "cpu", "mem", "cuda.device" })
                mine.AddRow(slot, Slot(slot, usage.Occupied.GetValueOrDefault(slot)),
                    usage.MaxTotalSlots is { } max && max.TryGetValue(slot, out var limit) ? Slot(slot, limit) : "no limit");
            Output.Write(mine);
            var groups = Output.Table("Group", "Agents", "CPU free", "Memory free", "GPU free");
            foreach (var g in usage.Groups)
                groups.AddRow(g.Name, g.AliveAgents.ToString(CultureInfo.InvariantCulture),
                    Free(g, "cpu"), Free(g, "mem"), Free(g, "cuda.device"));
            Output.Write(groups);
        });
        return command;
    }

    private static string Free(GroupCapacityDto g, string slot) =>
        g.Capacity.TryGetValue(slot, out var capacity) && capacity > 0
            ? $"{Slot(slot, g.Free.GetValueOrDefault(slot))} of {Slot(slot, capacity)}"
            : "-";

    private static string Slot(string slot, decimal value) =>
        slot == "mem" ? Output.Size((long)value) : value.ToString("0.##", CultureInfo.InvariantCulture);
}
