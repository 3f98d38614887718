using Berth.Core.Contracts;
using Berth.Core.Problems;

namespace Berth.Core.Sessions;

/// <summary>
/// What the manager remembers of a user's launches: the five most recent (plus any pinned ones),
/// never a value that looks like a secret, so a history list or a shared launcher URL cannot leak one.
/// </summary>
public static class LaunchHistoryRules
{
    /// <summary>Unpinned entries kept per user, as in Backend.AI's launcher.</summary>
    public const int KeptUnpinned = 5;

    /// <summary>A ceiling on pinned entries so that pinning cannot grow a user's history without bound.</summary>
    public const int MaxPinned = 20;

    public const int MaxTitleLength = 64;

    // Substrings of variable names that, by common convention, hold credentials (AWS_SECRET_ACCESS_KEY,
    // HF_TOKEN, DB_PASSWORD, OPENAI_API_KEY, ...). A false positive only costs retyping a value.
    private static readonly string[] SecretMarkers = ["SECRET", "PASSWORD", "PASSWD", "PASS", "TOKEN", "KEY", "CREDENTIAL", "PRIVATE", "AUTH", "COOKIE", "SESSION_ID"];

    public static bool LooksSecret(string variableName) =>
        SecretMarkers.Any(m => variableName.Contains(m, StringComparison.OrdinalIgnoreCase));

    /// <summary>The request as history keeps it, and the names of the environment variables whose values were left out.</summary>
    public static CreateSessionRequest Redact(CreateSessionRequest request, out IReadOnlyList<string> omitted)
    {
        ArgumentNullException.ThrowIfNull(request);
        var env = request.Environment ?? new Dictionary<string, string>();
        omitted = env.Keys.Where(LooksSecret).OrderBy(k => k, StringComparer.Ordinal).ToList();
        var kept = env.Where(kv => !LooksSecret(kv.Key)).ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        return request with { Environment = kept.Count == 0 && request.Environment is null ? null : kept };
    }

    public static Problem? CheckTitle(string? title, string field = "title")
    {
        if (title is null || title.Length == 0) return null;
        if (title.Length > MaxTitleLength)
            return Problem.Invalid(field, "title-too-long", $"A history title may have at most {MaxTitleLength} characters (got {title.Length}).");
        if (string.IsNullOrWhiteSpace(title))
            return Problem.Invalid(field, "title-blank", "A history title needs a visible character; send \"\" to clear it.");
        return null;
    }

    public static Problem? CheckUpdate(UpdateLaunchHistoryRequest request)
    {
        if (request.Title is null && request.Pinned is null)
            return Problem.Invalid("title", "nothing-to-change", "Send a title, pinned, or both.");
        return CheckTitle(request.Title);
    }

    /// <summary>Which entries to drop once a new one is in: unpinned ones beyond the most recent <see cref="KeptUnpinned"/>.</summary>
    public static IReadOnlyList<T> Overflow<T>(IEnumerable<T> entries, Func<T, bool> pinned, Func<T, DateTime> launchedAt) =>
        entries.Where(e => !pinned(e)).OrderByDescending(launchedAt).Skip(KeptUnpinned).ToList();
}
