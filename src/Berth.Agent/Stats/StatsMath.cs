using System.Globalization;

namespace Berth.Agent.Stats;

/// <summary>Turns raw container counters into the percentages the idle checks compare with thresholds.</summary>
public static class StatsMath
{
    /// <summary>
    /// CPU use between two readings of the container's cumulative CPU time, as % of its allocated cores:
    /// 100 means every allocated core was busy the whole time. Null when the readings cannot be compared
    /// (no time passed, or the counter went back because the container restarted).
    /// </summary>
    public static double? CpuPercent(ulong previousUsageNs, DateTimeOffset previousAt, ulong usageNs, DateTimeOffset at, double allocatedCpus)
    {
        var elapsedNs = (at - previousAt).Ticks * 100.0;
        if (elapsedNs <= 0 || usageNs < previousUsageNs || allocatedCpus <= 0) return null;
        return Math.Clamp((usageNs - previousUsageNs) / (elapsedNs * allocatedCpus) * 100, 0, 100);
    }

    /// <summary>
    /// Memory in use as % of the limit, not counting reclaimable page cache (<c>inactive_file</c> on cgroup v2,
    /// <c>total_inactive_file</c> on v1), as <c>docker stats</c> shows it.
    /// </summary>
    public static double MemPercent(ulong usage, ulong limit, IDictionary<string, ulong>? stats)
    {
        if (limit == 0) return 0;
        return Math.Clamp(MemUsedBytes(usage, stats) * 100.0 / limit, 0, 100);
    }

    /// <summary>Memory in use without the reclaimable page cache, as <see cref="MemPercent"/> counts it.</summary>
    public static ulong MemUsedBytes(ulong usage, IDictionary<string, ulong>? stats)
    {
        ulong cache = 0;
        if (stats is not null && (stats.TryGetValue("inactive_file", out cache) || stats.TryGetValue("total_inactive_file", out cache))) { }
        return usage > cache ? usage - cache : 0;
    }

    /// <summary>Bytes received and sent over all of the container's interfaces since it started; nulls when Docker reports no networks.</summary>
    public static (long? Rx, long? Tx) NetworkBytes(IEnumerable<(ulong Rx, ulong Tx)>? interfaces)
    {
        if (interfaces?.ToList() is not { Count: > 0 } all) return (null, null);
        return ((long)all.Aggregate(0UL, (sum, i) => sum + i.Rx), (long)all.Aggregate(0UL, (sum, i) => sum + i.Tx));
    }

    public const string GpuQuery = "--query-gpu=uuid,utilization.gpu";

    /// <summary>Parses `nvidia-smi --query-gpu=uuid,utilization.gpu --format=csv,noheader,nounits`: GPU UUID → % busy.</summary>
    public static IReadOnlyDictionary<string, double> ParseGpuUtilization(string csv)
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in csv.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var fields = line.Split(',', StringSplitOptions.TrimEntries);
            if (fields.Length < 2 || !fields[0].StartsWith("GPU-", StringComparison.Ordinal)) continue;
            // "[N/A]" or "[Not Supported]" on some boards: no measurement rather than 0 %.
            if (double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var util)) result[fields[0]] = util;
        }
        return result;
    }

    /// <summary>Mean utilization of the container's GPUs (UUIDs from its label); null when none of them was measured.</summary>
    public static double? GpuPercent(IReadOnlyCollection<string> uuids, IReadOnlyDictionary<string, double> utilization)
    {
        var measured = uuids.Where(utilization.ContainsKey).Select(u => utilization[u]).ToList();
        return measured.Count == 0 ? null : measured.Average();
    }
}
