using System.Globalization;
using Berth.Client;

namespace Berth.Web.Components.Admin;

/// <summary>Wording shared by the admin tabs: API problems as a sentence naming the field, sizes in MiB, slot maps.</summary>
public static class AdminText
{
    /// <summary>The manager's sentence, plus the field it names, so a form's error points at the input to fix.</summary>
    public static string Problem(BerthApiException e) =>
        e.Field is { Length: > 0 } field && !e.Message.Contains(field, StringComparison.OrdinalIgnoreCase)
            ? $"{e.Message} (field: {field})"
            : e.Message;

    public static string MiB(long bytes) => (bytes / (1024d * 1024d)).ToString("0.##", CultureInfo.InvariantCulture) + " MiB";

    public static long? Bytes(double? mib) => mib is { } m ? (long)Math.Round(m * 1024 * 1024) : null;

    /// <summary>A slot map (cpu in cores, mem in bytes, cuda.device) as "2 CPU, 4096 MiB, 1 GPU": CPU and memory first, zero GPUs left out.</summary>
    public static string Slots(IReadOnlyDictionary<string, decimal> slots) =>
        slots.Count == 0 ? "—" : string.Join(", ", slots.Where(s => s.Key != "cuda.device" || s.Value != 0)
            .OrderBy(s => s.Key switch { "cpu" => 0, "mem" => 1, _ => 2 }).ThenBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Key switch
        {
            "cpu" => s.Value.ToString("0.##", CultureInfo.InvariantCulture) + " CPU",
            "mem" => MiB((long)s.Value),
            "cuda.device" => s.Value.ToString("0.##", CultureInfo.InvariantCulture) + " GPU",
            _ => s.Key + " " + s.Value.ToString("0.##", CultureInfo.InvariantCulture),
        }));

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
