using System.Globalization;
using Berth.Core.Contracts;
using Berth.Core.Scheduling;
using Berth.Core.Units;

namespace Berth.Web.Components.Launcher;

/// <summary>What the launcher reads from the manager to offer choices: groups, presets, what remains, and (admins) agents.</summary>
public sealed record LauncherCatalog(
    IReadOnlyList<ResourceGroupDto> Groups, IReadOnlyList<ResourcePresetDto> Presets, RemainingResourcesDto? Remaining,
    IReadOnlyList<AgentDto> Agents)
{
    public static LauncherCatalog Empty { get; } = new([], [], null, []);

    /// <summary>The top of a slot's slider: the smaller of the user's headroom and the freest agent's free amount.</summary>
    public double MaxOf(string slot)
    {
        if (Remaining is null) return 0;
        var agent = (double)Remaining.LargestAgent.GetValueOrDefault(slot);
        return Remaining.User is { } user && user.TryGetValue(slot, out var mine) ? Math.Min((double)mine, agent) : agent;
    }

    /// <summary>"You: 6 left · group: 12 free (at most 8 on one agent)", in the slot's unit.</summary>
    public string RemainingText(string slot)
    {
        if (Remaining is null) return "Remaining: unknown";
        string F(decimal v) => slot == ResourceSlots.Mem ? ByteSize.Format((long)v) : v.ToString("0.##", CultureInfo.InvariantCulture);
        var you = Remaining.User is { } user && user.TryGetValue(slot, out var mine) ? $"{F(mine)} left" : "no limit";
        return $"You: {you} · group {Remaining.ResourceGroup}: {F(Remaining.Group.GetValueOrDefault(slot))} free " +
               $"(at most {F(Remaining.LargestAgent.GetValueOrDefault(slot))} on one agent)";
    }

    /// <summary>An agent's free slots for the admin's agent list.</summary>
    public static string FreeText(AgentDto agent)
    {
        decimal Free(string slot) => Math.Max(0, agent.Capacity.GetValueOrDefault(slot) - agent.Occupied.GetValueOrDefault(slot));
        return $"{agent.Id} — free {Free(ResourceSlots.Cpu):0.##} CPU, {ByteSize.Format((long)Free(ResourceSlots.Mem))}, {Free(ResourceSlots.CudaDevice):0} GPU";
    }
}
