using System.Security.Cryptography;
using System.Text;

namespace Berth.Core.Auth;

/// <summary>The shared secret between a manager and its agents, sent as <c>Authorization: Bearer &lt;token&gt;</c> both ways.</summary>
public static class AgentToken
{
    public const string Scheme = "Bearer";

    public static string AuthorizationValue(string token) => $"{Scheme} {token}";

    /// <summary>True when <paramref name="header"/> carries exactly <paramref name="expected"/>; compared in constant time.</summary>
    public static bool Matches(string? header, string? expected)
    {
        if (string.IsNullOrEmpty(expected) || header is null || !header.StartsWith(Scheme + " ", StringComparison.Ordinal)) return false;
        var presented = header[(Scheme.Length + 1)..].Trim();
        // Hashing first makes the comparison independent of the lengths as well.
        return CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }

    public static string Generate() => Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
}
