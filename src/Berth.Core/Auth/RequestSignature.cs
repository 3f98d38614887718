using System.Security.Cryptography;
using System.Text;

namespace Berth.Core.Auth;

/// <summary>
/// API keypair request signing, shared by the client and the manager so both compute the same bytes.
/// The secret never travels: each request carries the access key and an HMAC of method, path and
/// date, and the date bounds replay. Bodies are not signed so that multi-GiB uploads can stream.
/// </summary>
public static class RequestSignature
{
    public const string Scheme = "Berth-HMAC-SHA256";
    public const string DateHeader = "X-Berth-Date";
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(15);

    public static string Sign(string secretKey, string method, string pathAndQuery, string date)
    {
        var message = $"{method.ToUpperInvariant()}\n{pathAndQuery}\n{date}";
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(message));
        return Convert.ToBase64String(mac);
    }

    public static string AuthorizationValue(string accessKey, string signature) => $"{Scheme} {accessKey}:{signature}";

    public static bool TryParseAuthorization(string? header, out string accessKey, out string signature)
    {
        accessKey = signature = "";
        if (header is null || !header.StartsWith(Scheme + " ", StringComparison.Ordinal)) return false;
        var rest = header[(Scheme.Length + 1)..];
        var colon = rest.IndexOf(':');
        if (colon <= 0) return false;
        accessKey = rest[..colon];
        signature = rest[(colon + 1)..];
        return signature.Length > 0;
    }

    public static bool Matches(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(actual));
}
