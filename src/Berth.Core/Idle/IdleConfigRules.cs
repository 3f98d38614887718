using Berth.Core.Contracts;
using Berth.Core.Problems;
using Berth.Core.Validation;

namespace Berth.Core.Idle;

/// <summary>Validation of idle-check settings, and how a policy's override is laid over a resource group's defaults.</summary>
public static class IdleConfigRules
{
    /// <summary>A utilization check switched on without a window averages over this long.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(10);

    public static Problem? Check(IdleChecksDto? dto, string field = "idleChecks")
    {
        if (dto is null) return null;
        if (dto.NetworkTimeoutSeconds is { } t && !(t >= 0 && t <= DurationRules.MaxSeconds))
            return Problem.Invalid($"{field}.networkTimeoutSeconds", "idle-timeout-invalid", "A network idle timeout is a number of seconds, 0 or more (0 turns the check off), up to ten years.");
        if (dto.MaxIdleExtensionSeconds is { } x && !(x >= 0 && x <= DurationRules.MaxSeconds))
            return Problem.Invalid($"{field}.maxIdleExtensionSeconds", "idle-extension-invalid", "The longest keep-alive extension is a number of seconds, 0 or more.");
        if (dto.Utilization is not { } u) return null;
        var uf = $"{field}.utilization";
        if (u.GracePeriodSeconds is { } g && !(g >= 0 && g <= DurationRules.MaxSeconds))
            return Problem.Invalid($"{uf}.gracePeriodSeconds", "idle-grace-invalid", "A grace period is a number of seconds, 0 or more.");
        if (u.TimeWindowSeconds is { } w && !(w > 0 && w <= DurationRules.MaxSeconds))
            return Problem.Invalid($"{uf}.timeWindowSeconds", "idle-window-invalid", "A utilization time window is a positive number of seconds.");
        foreach (var (name, value) in new[] { ("cpu", u.Cpu), ("mem", u.Mem), ("cuda", u.Cuda) })
            if (value is { } v && !(v >= 0 && v <= 100))
                return Problem.Invalid($"{uf}.{name}", "idle-threshold-invalid", $"The {name} threshold is a percentage from 0 to 100.");
        if (u.Operator is not null && !TryParseOperator(u.Operator, out _))
            return Problem.Invalid($"{uf}.operator", "idle-operator-invalid", $"{ProblemText.Quote(u.Operator)} is not a thresholds operator; use and or or.");
        return null;
    }

    public static bool TryParseOperator(string? text, out ThresholdOperator op)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "and": op = ThresholdOperator.And; return true;
            case "or": op = ThresholdOperator.Or; return true;
            default: op = default; return false;
        }
    }

    public static string ToWire(this ThresholdOperator op) => op == ThresholdOperator.Or ? "or" : "and";

    /// <summary>
    /// Each field the policy sets wins over the group's. The utilization check is on when the merged settings say
    /// <c>enabled</c> (or leave it unsaid) and name at least one threshold. A policy can switch a check off
    /// (network timeout 0, utilization enabled=false) but cannot take away one threshold of the group's.
    /// </summary>
    public static IdleCheckConfig Merge(IdleChecksDto? group, IdleChecksDto? policy, double? maxLifetimeSeconds)
    {
        var timeout = policy?.NetworkTimeoutSeconds ?? group?.NetworkTimeoutSeconds;
        var network = timeout is > 0 ? TimeSpan.FromSeconds(timeout.Value) : (TimeSpan?)null;
        var extension = policy?.MaxIdleExtensionSeconds ?? group?.MaxIdleExtensionSeconds;
        var maxExtension = network is null ? null : extension is { } e ? TimeSpan.FromSeconds(e) : network;
        var lifetime = maxLifetimeSeconds is > 0 ? TimeSpan.FromSeconds(maxLifetimeSeconds.Value) : (TimeSpan?)null;

        UtilizationCheck? utilization = null;
        var (gu, pu) = (group?.Utilization, policy?.Utilization);
        if (gu is not null || pu is not null)
        {
            var enabled = pu?.Enabled ?? gu?.Enabled ?? true;
            var (cpu, mem, cuda) = (pu?.Cpu ?? gu?.Cpu, pu?.Mem ?? gu?.Mem, pu?.Cuda ?? gu?.Cuda);
            if (enabled && (cpu ?? mem ?? cuda) is not null)
            {
                TryParseOperator(pu?.Operator ?? gu?.Operator, out var op);
                utilization = new UtilizationCheck(
                    TimeSpan.FromSeconds(pu?.GracePeriodSeconds ?? gu?.GracePeriodSeconds ?? 0),
                    (pu?.TimeWindowSeconds ?? gu?.TimeWindowSeconds) is { } w ? TimeSpan.FromSeconds(w) : DefaultWindow,
                    cpu, mem, cuda, op);
            }
        }
        return new IdleCheckConfig(network, maxExtension, lifetime, utilization);
    }
}
