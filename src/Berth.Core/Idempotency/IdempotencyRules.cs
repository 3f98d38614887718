using System.Security.Cryptography;
using System.Text;
using Berth.Core.Problems;

namespace Berth.Core.Idempotency;

/// <summary>
/// The <c>Idempotency-Key</c> header on creates (sessions, folders, uploads): a client that lost the answer to a
/// create sends the same request again with the same key and gets the first result instead of a second resource
/// or a <c>name-taken</c> error. Keys are the caller's own (two users may pick the same one) and are kept for
/// <see cref="Lifetime"/>. The shape follows the IETF draft "The Idempotency-Key HTTP Header Field".
/// </summary>
public static class IdempotencyRules
{
    public const string Header = "Idempotency-Key";

    /// <summary>Sent on a replayed answer, so a client (and a person reading a trace) can tell.</summary>
    public const string ReplayedHeader = "Idempotency-Replayed";

    public const int MaxLength = 255;

    /// <summary>How long a key is remembered: a retry a day later is a new request.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>Null (no key) passes; otherwise 1 to 255 visible ASCII characters (a UUID is typical).</summary>
    public static Problem? Check(string? key)
    {
        if (key is null) return null;
        if (key.Length is 0 or > MaxLength || key.Any(c => c is < '!' or > '~'))
            return Problem.Invalid(Header, "idempotency-key-invalid",
                $"The {Header} header is 1 to {MaxLength} visible ASCII characters without spaces (a UUID is a good choice); got {ProblemText.Quote(key)}.");
        return null;
    }

    /// <summary>
    /// What a key stands for: the operation and the request as the server understood it. A retry must match it;
    /// the same key on a different request is refused rather than answered with an unrelated result.
    /// </summary>
    public static string Fingerprint(string operation, string canonicalRequest) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(operation + "\n" + canonicalRequest)));

    /// <summary>True while a record written at <paramref name="createdAt"/> still answers retries.</summary>
    public static bool IsLive(DateTimeOffset createdAt, DateTimeOffset now) => now - createdAt < Lifetime;

    /// <summary>422: the key was used before for a different request.</summary>
    public static Problem Reused(string operation) => new(422, "idempotency-key-reused",
        $"This {Header} was already used for a different request ({operation}); use a new key for a new request.", Header);

    /// <summary>409: the first request with this key is still being served; retry shortly.</summary>
    public static Problem InFlight() => Problem.Conflict("idempotency-key-in-flight",
        $"A request with this {Header} is still being served; retry in a moment to get its result.", Header);
}
