using Berth.Core.Problems;

namespace Berth.Core.Validation;

/// <summary>
/// Durations given in seconds. A date plus a huge number of seconds overflows <see cref="DateTime"/>, and a
/// background round that did that arithmetic would fail every time; so every duration has a ceiling.
/// </summary>
public static class DurationRules
{
    /// <summary>Ten years: longer than anything a session, a queue or an idle check needs.</summary>
    public const double MaxSeconds = 10 * 365.25 * 24 * 3600;

    /// <summary>Null passes; otherwise finite, above 0 (or at least 0 with <paramref name="allowZero"/>) and at most <see cref="MaxSeconds"/>.</summary>
    public static Problem? CheckSeconds(double? seconds, string field, string rule = "timeout-invalid", bool allowZero = false)
    {
        if (seconds is not { } s) return null;
        if (!double.IsFinite(s) || s < 0 || (!allowZero && s == 0) || s > MaxSeconds)
            return Problem.Invalid(field, rule,
                $"{field} is a number of seconds {(allowZero ? "from 0" : "above 0")} up to {MaxSeconds:0} (ten years).");
        return null;
    }
}
