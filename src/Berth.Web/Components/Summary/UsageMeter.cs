using System.Globalization;
using Berth.Core.Contracts;
using Berth.Web.Components.Sessions;

namespace Berth.Web.Components.Summary;

/// <summary>
/// One row of the Summary's "your use" card: what is used, the limit (null: the policy sets none), and the words for both,
/// so the bar and the numbers beside it always agree.
/// </summary>
public sealed record UsageMeter(string Label, decimal Used, decimal? Limit, string UsedText, string? LimitText)
{
    /// <summary>Percent of the limit used, capped at 100; null when there is no limit (no bar is drawn).</summary>
    public double? Percent => Limit switch
    {
        null => null,
        0m => Used > 0 ? 100 : 0,
        { } max => (double)Math.Min(100m, Used * 100m / max),
    };

    public string Text => LimitText is null ? $"{UsedText} (no limit)" : $"{UsedText} of {LimitText}";

    /// <summary>Sessions, CPU, memory and GPUs, in that order; a slot the policy does not name is unlimited.</summary>
    public static IReadOnlyList<UsageMeter> From(MyUsageDto u)
    {
        decimal Used(string slot) => u.Occupied.GetValueOrDefault(slot);
        decimal? Max(string slot) => u.MaxTotalSlots is { } m && m.TryGetValue(slot, out var v) ? v : null;
        return
        [
            new("Sessions", u.LiveSessions, u.MaxConcurrentSessions, Count(u.LiveSessions), u.MaxConcurrentSessions is { } s ? Count(s) : null),
            new("CPU", Used("cpu"), Max("cpu"), Cores(Used("cpu")), Max("cpu") is { } c ? Cores(c) : null),
            new("Memory", Used("mem"), Max("mem"), SessionText.Bytes((long)Used("mem")), Max("mem") is { } m ? SessionText.Bytes((long)m) : null),
            new("GPU", Used("cuda.device"), Max("cuda.device"), Count(Used("cuda.device")), Max("cuda.device") is { } g ? Count(g) : null),
        ];
    }

    public static string Cores(decimal cores) => cores.ToString("0.##", CultureInfo.InvariantCulture) + (cores == 1 ? " core" : " cores");

    private static string Count(decimal n) => n.ToString("0.##", CultureInfo.InvariantCulture);
}
