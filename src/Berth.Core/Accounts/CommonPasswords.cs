using System.Collections.Frozen;

namespace Berth.Core.Accounts;

/// <summary>
/// The list of passwords attackers try first (embedded <c>common-passwords.txt</c>), and the variants
/// people make of them by adding digits or symbols at either end ("Password-123!", "2024iloveyou").
/// </summary>
public static class CommonPasswords
{
    private static readonly Lazy<FrozenSet<string>> List = new(Load);

    public static int Count => List.Value.Count;

    /// <summary>True when the password, lower-cased, or its core without leading/trailing digits and symbols, is listed.</summary>
    public static bool IsCommon(string password)
    {
        var lower = password.ToLowerInvariant();
        if (List.Value.Contains(lower) || IsRun(lower)) return true;
        var core = Core(lower);
        return core.Length > 0 && core.Length < lower.Length && List.Value.Contains(core);
    }

    /// <summary>A run like "123456789012", "987654321098" or "abcdefghijkl": each character one step from the last (digits wrap).</summary>
    public static bool IsRun(string lower)
    {
        if (lower.Length < 3) return false;
        int Step(char a, char b) => char.IsAsciiDigit(a) && char.IsAsciiDigit(b) ? ((b - a) % 10 + 10) % 10 : b - a;
        var first = Step(lower[0], lower[1]);
        if (first is not (1 or 9 or -1)) return false;
        for (var i = 2; i < lower.Length; i++)
            if (Step(lower[i - 1], lower[i]) != first) return false;
        return true;
    }

    /// <summary>The password without the digits and symbols at its ends: "password-1234" → "password".</summary>
    public static string Core(string lower)
    {
        var start = 0;
        var end = lower.Length;
        while (start < end && !char.IsLetter(lower[start])) start++;
        while (end > start && !char.IsLetter(lower[end - 1])) end--;
        return lower[start..end];
    }

    private static FrozenSet<string> Load()
    {
        var assembly = typeof(CommonPasswords).Assembly;
        using var stream = assembly.GetManifestResourceStream("Berth.Core.Accounts.common-passwords.txt")
            ?? throw new InvalidOperationException("The embedded common-password list is missing from Berth.Core.");
        using var reader = new StreamReader(stream);
        var set = new HashSet<string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            line = line.Trim();
            if (line.Length > 0 && !line.StartsWith('#')) set.Add(line.ToLowerInvariant());
        }
        return set.ToFrozenSet(StringComparer.Ordinal);
    }
}
