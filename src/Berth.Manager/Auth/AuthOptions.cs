using System.ComponentModel.DataAnnotations;

namespace Berth.Manager.Auth;

/// <summary>Keypairs and request signing (<c>Auth:*</c>).</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>How long a keypair from <c>berth login</c> may sign requests; after that, log in again.</summary>
    public TimeSpan KeyPairLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How coarse a keypair's "last used" is: it is written at most this often per key, not on every request.</summary>
    public TimeSpan LastUsedResolution { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Nonces remembered at once (one per signed request within the clock-skew window); beyond it, requests wait for old ones to age out (503).</summary>
    [Range(1000, 50_000_000)]
    public int ReplayCacheLimit { get; set; } = 1_000_000;

    public static IEnumerable<string> Check(AuthOptions o)
    {
        if (o.KeyPairLifetime < TimeSpan.FromMinutes(1)) yield return "Auth:KeyPairLifetime must be at least a minute.";
        if (o.LastUsedResolution < TimeSpan.Zero) yield return "Auth:LastUsedResolution may not be negative.";
    }
}
