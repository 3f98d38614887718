namespace Berth.Core.Scheduling;

/// <summary>The order in which a resource group's scheduler considers pending sessions.</summary>
public enum QueueOrder
{
    /// <summary>Oldest first.</summary>
    Fifo,
    /// <summary>Newest first.</summary>
    Lifo,
    /// <summary>Dominant resource fairness: owners using the smallest share of the group go first.</summary>
    Drf,
}

/// <summary>How a resource group picks an agent among those with room.</summary>
public enum AgentSelection
{
    /// <summary>The agent with the most room left, spreading load.</summary>
    Dispersed,
    /// <summary>The agent with the least room left that still fits, packing load.</summary>
    Concentrated,
    /// <summary>The next agent (by id) after the last one chosen.</summary>
    RoundRobin,
}

/// <summary>Wire names as in Backend.AI's scaling-group options: <c>fifo</c>, <c>lifo</c>, <c>drf</c>; <c>dispersed</c>, <c>concentrated</c>, <c>roundrobin</c>.</summary>
public static class SchedulingWire
{
    public static string ToWire(this QueueOrder order) => order switch
    {
        QueueOrder.Lifo => "lifo",
        QueueOrder.Drf => "drf",
        _ => "fifo",
    };

    public static string ToWire(this AgentSelection selection) => selection switch
    {
        AgentSelection.Concentrated => "concentrated",
        AgentSelection.RoundRobin => "roundrobin",
        _ => "dispersed",
    };

    /// <summary>Case-insensitive; surrounding spaces are ignored.</summary>
    public static bool TryParseQueueOrder(string? text, out QueueOrder order)
    {
        foreach (var o in Enum.GetValues<QueueOrder>())
            if (string.Equals(o.ToWire(), text?.Trim(), StringComparison.OrdinalIgnoreCase)) { order = o; return true; }
        order = default;
        return false;
    }

    /// <summary>Case-insensitive; surrounding spaces are ignored.</summary>
    public static bool TryParseAgentSelection(string? text, out AgentSelection selection)
    {
        foreach (var s in Enum.GetValues<AgentSelection>())
            if (string.Equals(s.ToWire(), text?.Trim(), StringComparison.OrdinalIgnoreCase)) { selection = s; return true; }
        selection = default;
        return false;
    }
}
