using System.CommandLine;
using System.Globalization;
using Berth.Core.Contracts;

namespace Berth.Cli.Commands;

/// <summary><c>berth admin agent ...</c>.</summary>
internal static class AgentAdminCommands
{
    public static Command Build()
    {
        var agent = new Command("agent", "Look at the agents that run sessions");
        var json = LoginCommands.JsonOption();
        var list = new Command("list", "List agents with their status, capacity and what sessions occupy") { json };
        list.SetHandler(async (r, context, ct) =>
        {
            var agents = await context.Client.ListAgentsAsync(ct);
            if (r.GetValue(json)) { Output.WriteJson(agents); return; }
            var table = Output.Table("Id", "Status", "Group", "CPU used/total", "Memory used/total", "Last heartbeat");
            foreach (var a in agents.OrderBy(a => a.Id, StringComparer.Ordinal))
                table.AddRow(a.Id, a.Status, a.ResourceGroup, Cpu(a), Memory(a), Output.Time(a.LastHeartbeatAt));
            Output.Write(table);
        });
        agent.Subcommands.Add(list);
        return agent;
    }

    private static string Cpu(AgentDto a) =>
        $"{Slot(a.Occupied, "cpu").ToString("0.##", CultureInfo.InvariantCulture)}/{Slot(a.Capacity, "cpu").ToString("0.##", CultureInfo.InvariantCulture)}";

    private static string Memory(AgentDto a) =>
        $"{Output.Size((long)Slot(a.Occupied, "mem"))}/{Output.Size((long)Slot(a.Capacity, "mem"))}";

    private static decimal Slot(IReadOnlyDictionary<string, decimal> slots, string name) => slots.GetValueOrDefault(name);
}
