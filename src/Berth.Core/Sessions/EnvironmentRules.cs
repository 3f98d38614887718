using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Berth.Core.Problems;

namespace Berth.Core.Sessions;

/// <summary>What a user may put in a session's environment.</summary>
public static partial class EnvironmentRules
{
    public const int MaxVariables = 128;
    public const int MaxNameLength = 256;
    /// <summary>Largest value, in UTF-8 bytes.</summary>
    public const int MaxValueBytes = 32 * 1024;
    /// <summary>Variables with this prefix are Berth's own.</summary>
    public const string ReservedPrefix = "BERTH_";

    /// <summary>Thread-count variables that numeric libraries read; sessions get them set to their CPU share.</summary>
    public static readonly IReadOnlyList<string> HpcThreadVariables =
    [
        "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
        "NUMEXPR_NUM_THREADS", "VECLIB_MAXIMUM_THREADS", "GOTO_NUM_THREADS",
    ];

    [GeneratedRegex(@"\A[A-Za-z_][A-Za-z0-9_]*\z")]
    private static partial Regex NamePattern();

    public static bool IsValidName(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= MaxNameLength && NamePattern().IsMatch(name);

    /// <summary>Null when every variable is acceptable; otherwise the first problem, in the dictionary's order.</summary>
    public static Problem? Check(IReadOnlyDictionary<string, string>? env)
    {
        if (env is null) return null;
        if (env.Count > MaxVariables)
            return Problem.Invalid("environment", "env-too-many",
                $"A session may have at most {MaxVariables} environment variables (got {env.Count}).");
        foreach (var (key, value) in env)
        {
            if (string.IsNullOrEmpty(key))
                return Problem.Invalid("environment", "env-name-invalid", "An environment variable needs a name.");
            var field = "environment." + key;
            if (key.Length > MaxNameLength)
                return Problem.Invalid(field, "env-name-invalid",
                    $"Environment variable names may have at most {MaxNameLength} characters (got {key.Length}).");
            if (!NamePattern().IsMatch(key))
                return Problem.Invalid(field, "env-name-invalid",
                    $"{ProblemText.Quote(key)} is not a valid environment variable name: use ASCII letters, digits and '_', not starting with a digit.");
            if (key.StartsWith(ReservedPrefix, StringComparison.Ordinal))
                return Problem.Invalid(field, "env-name-reserved",
                    $"{ProblemText.Quote(key)} cannot be set: variables starting with {ReservedPrefix} belong to Berth.");
            if (value is null)
                return Problem.Invalid(field, "env-value-invalid", $"{ProblemText.Quote(key)} needs a value (it may be empty).");
            if (value.Contains('\0'))
                return Problem.Invalid(field, "env-value-invalid", $"The value of {ProblemText.Quote(key)} contains a NUL character, which environment variables cannot hold.");
            var bytes = Encoding.UTF8.GetByteCount(value);
            if (bytes > MaxValueBytes)
                return Problem.Invalid(field, "env-value-invalid",
                    $"The value of {ProblemText.Quote(key)} is {bytes} bytes; values may be at most {MaxValueBytes} bytes (32 KiB).");
        }
        return null;
    }

    /// <summary>Splits a CLI <c>KEY=VALUE</c> at the first '='; the value may be empty or hold more '='. False without '=' or a key.</summary>
    public static bool TryParseAssignment(string? text, out string key, out string value)
    {
        key = value = "";
        if (string.IsNullOrEmpty(text)) return false;
        var eq = text.IndexOf('=');
        if (eq <= 0) return false;
        key = text[..eq];
        value = text[(eq + 1)..];
        return true;
    }

    /// <summary>
    /// The user's variables plus thread-count defaults (ceil(cpu), at least 1) for every
    /// <see cref="HpcThreadVariables"/> entry the user did not set. The user's values always win.
    /// </summary>
    public static IReadOnlyDictionary<string, string> WithHpcDefaults(IReadOnlyDictionary<string, string>? user, double cpu)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (user is not null)
            foreach (var (k, v) in user) result[k] = v;
        var threads = double.IsFinite(cpu) ? Math.Max(1, (long)Math.Ceiling(Math.Round(cpu, 6))) : 1;
        var text = threads.ToString(CultureInfo.InvariantCulture);
        foreach (var name in HpcThreadVariables)
            result.TryAdd(name, text);
        return result;
    }
}
