using Berth.Core.Agents;
using Berth.Core.Sessions;

namespace Berth.Agent.Runtime;

/// <summary>What this node offers and how much of the host one session may take of what is not a scheduled slot (processes).</summary>
public static class NodeLimits
{
    /// <summary>The memory offered to sessions: <c>Agent:MemoryBytes</c>, else what the process sees (the host's or its cgroup's).</summary>
    public static long MemoryBytes(AgentOptions options) => options.MemoryBytes ?? GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    /// <summary>The host's <c>kernel.pid_max</c>; 0 when it cannot be read (the rule then assumes Linux's default).</summary>
    public static long PidMax(string path = "/proc/sys/kernel/pid_max")
    {
        try { return long.TryParse(File.ReadAllText(path).Trim(), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : 0; }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
    }

    /// <summary>The spec's process limit narrowed to this session's share of the host's pid table (<see cref="PidsRules"/>).</summary>
    public static KernelSpec WithHostPidsLimit(KernelSpec spec, AgentOptions options) =>
        spec with { PidsLimit = PidsRules.ForSession(PidMax(), MemoryBytes(options), spec.MemoryBytes, spec.PidsLimit) };
}
