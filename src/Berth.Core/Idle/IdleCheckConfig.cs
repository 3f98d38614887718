namespace Berth.Core.Idle;

public enum ThresholdOperator { And, Or }

/// <summary>The utilization check in force for one session (Backend.AI's <c>utilization</c> idle checker).</summary>
/// <param name="Cpu">% of the allocated CPUs; null: not checked. Likewise <paramref name="Mem"/> (% of the memory limit) and <paramref name="Cuda"/> (% GPU).</param>
public sealed record UtilizationCheck(TimeSpan Grace, TimeSpan Window, double? Cpu, double? Mem, double? Cuda, ThresholdOperator Operator);

/// <summary>Every idle check in force for one session: its resource group's defaults with its owner's policy laid over them.</summary>
/// <param name="NetworkTimeout">Null: the network idle check is off.</param>
/// <param name="MaxExtension">The furthest ahead of now a keep-alive may push the network deadline.</param>
/// <param name="Lifetime">The policy's maximum session lifetime; null: unlimited.</param>
/// <param name="Utilization">Null: the utilization check is off.</param>
public sealed record IdleCheckConfig(TimeSpan? NetworkTimeout, TimeSpan? MaxExtension, TimeSpan? Lifetime, UtilizationCheck? Utilization)
{
    public static readonly IdleCheckConfig Off = new(null, null, null, null);
}

/// <summary>Checker names, as the API shows them, and the reasons they end sessions with.</summary>
public static class IdleCheckers
{
    public const string Network = "network-timeout";
    public const string Lifetime = "session-lifetime";
    public const string Utilization = "utilization";

    public const string NetworkReason = "idle-timeout";
    public const string LifetimeReason = "idle-session-lifetime";
    public const string UtilizationReason = "idle-utilization";

    /// <summary>The status reason of the event that announces an idle termination ahead of time.</summary>
    public const string ImminentReason = "idle-imminent";

    public static string ReasonOf(string checker) => checker switch
    {
        Network => NetworkReason,
        Lifetime => LifetimeReason,
        _ => UtilizationReason,
    };
}
