using System.Text.RegularExpressions;
using Berth.Core.Problems;

namespace Berth.Core.Sessions;

/// <summary>Session names as Backend.AI allows them: 4–64 ASCII word characters, dots and dashes, starting and ending with a word character.</summary>
public static partial class SessionNameRules
{
    public const int MinLength = 4;
    public const int MaxLength = 64;
    public const string GeneratedPrefix = "sess-";

    // \z, not $: '$' also matches before a final newline.
    [GeneratedRegex(@"\A[A-Za-z0-9_][A-Za-z0-9_.-]*[A-Za-z0-9_]\z")]
    private static partial Regex Pattern();

    public static Problem? Check(string? name, string field = "name")
    {
        if (string.IsNullOrEmpty(name))
            return Problem.Invalid(field, "required", "A session name is required.");
        if (name.Length < MinLength)
            return Problem.Invalid(field, "name-too-short", $"Session names need at least {MinLength} characters (got {name.Length}).");
        if (name.Length > MaxLength)
            return Problem.Invalid(field, "name-too-long", $"Session names may have at most {MaxLength} characters (got {name.Length}).");
        if (!Pattern().IsMatch(name))
            return Problem.Invalid(field, "name-invalid",
                $"{ProblemText.Quote(name)} is not a valid session name: use ASCII letters, digits, '_', '.' and '-', starting and ending with a letter, digit or '_'.");
        return null;
    }

    private const string Alphabet = "abcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A fresh name such as <c>sess-k3v9x0qa</c>; always passes <see cref="Check"/>.</summary>
    public static string Generate(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        Span<char> tail = stackalloc char[8];
        for (var i = 0; i < tail.Length; i++) tail[i] = Alphabet[random.Next(Alphabet.Length)];
        return GeneratedPrefix + new string(tail);
    }
}
