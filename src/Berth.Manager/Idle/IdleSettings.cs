using System.Text.Json;
using Berth.Core.Contracts;

namespace Berth.Manager.Idle;

/// <summary>Idle-check settings as stored on resource groups and policies (JSON columns).</summary>
public static class IdleSettings
{
    public static IdleChecksDto? Read(string? json) =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<IdleChecksDto>(json, JsonSerializerOptions.Web);

    public static string? Write(IdleChecksDto? dto) => dto is null ? null : JsonSerializer.Serialize(dto, JsonSerializerOptions.Web);

    /// <summary>
    /// An update of a group names only what changes: the fields it sets replace the stored ones, the rest stay.
    /// </summary>
    public static IdleChecksDto Overlay(IdleChecksDto? stored, IdleChecksDto update)
    {
        var (s, u) = (stored?.Utilization, update.Utilization);
        var utilization = u is null ? s : s is null ? u : new UtilizationCheckDto(
            u.Enabled ?? s.Enabled, u.GracePeriodSeconds ?? s.GracePeriodSeconds, u.TimeWindowSeconds ?? s.TimeWindowSeconds,
            u.Cpu ?? s.Cpu, u.Mem ?? s.Mem, u.Cuda ?? s.Cuda, u.Operator ?? s.Operator);
        return new IdleChecksDto(update.NetworkTimeoutSeconds ?? stored?.NetworkTimeoutSeconds,
            update.MaxIdleExtensionSeconds ?? stored?.MaxIdleExtensionSeconds, utilization);
    }
}
