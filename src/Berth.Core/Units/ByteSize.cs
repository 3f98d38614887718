using System.Globalization;
using System.Text.RegularExpressions;

namespace Berth.Core.Units;

/// <summary>Sizes as people type them: <c>512</c>, <c>256m</c>, <c>4g</c>, <c>1.5GiB</c>. Binary multiples throughout, as Docker does.</summary>
public static partial class ByteSize
{
    [GeneratedRegex(@"^\s*(\d+(?:\.\d+)?)\s*([kmgtp]?)(?:i?b)?\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Pattern();

    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        if (text is null) return false;
        var m = Pattern().Match(text);
        if (!m.Success) return false;
        var number = decimal.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        var shift = m.Groups[2].Value.ToLowerInvariant() switch
        {
            "k" => 10, "m" => 20, "g" => 30, "t" => 40, "p" => 50, _ => 0,
        };
        var value = number * (1L << shift);
        if (value > long.MaxValue || value != decimal.Truncate(value)) return false;
        bytes = (long)value;
        return true;
    }

    public static string Format(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1) { value /= 1024; unit++; }
        return unit == 0 ? $"{bytes} B" : string.Create(CultureInfo.InvariantCulture, $"{value:0.##} {units[unit]}");
    }
}
