using System.Security.Cryptography;
using System.Text;

namespace Berth.Core.Auth;

/// <summary>
/// API keypair request signing, shared by the client and the manager so both compute the same bytes.
/// The secret never travels: each request carries the access key and an HMAC over the method, the path
/// and query, the date, the SHA-256 of the body and a random nonce. The body hash stops a captured
/// request from being replayed with another body; the nonce, which the manager remembers for the
/// clock-skew window, stops it from being replayed at all. Only the small JSON bodies of the API are
/// signed (at most <see cref="MaxSignedBodyBytes"/>); file uploads go to the storage API with bearer
/// tickets and stream unsigned.
/// </summary>
public static class RequestSignature
{
    public const string Scheme = "Berth-HMAC-SHA256";
    public const string DateHeader = "X-Berth-Date";
    public const string ContentHashHeader = "X-Berth-Content-SHA256";
    public const string NonceHeader = "X-Berth-Nonce";

    /// <summary>The SHA-256 of no bytes, the content hash of a request without a body.</summary>
    public const string EmptyBodyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <summary>Bodies the manager hashes to check a signature; API bodies are small JSON documents.</summary>
    public const int MaxSignedBodyBytes = 1 << 20;

    /// <summary>Random bytes in a nonce (hex-encoded on the wire, so twice as many characters).</summary>
    public const int NonceBytes = 16;

    /// <summary>
    /// How far a request's date may be from the manager's clock. Five minutes (it was fifteen): the window
    /// bounds how long the manager must remember nonces, and clocks on NTP are off by far less.
    /// </summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);

    /// <summary>The string that is signed; each part on its own line, so no part can bleed into another.</summary>
    public static string StringToSign(string method, string pathAndQuery, string date, string contentSha256, string nonce) =>
        $"{Scheme}\n{method.ToUpperInvariant()}\n{pathAndQuery}\n{date}\n{contentSha256.ToLowerInvariant()}\n{nonce}";

    public static string Sign(string secretKey, string method, string pathAndQuery, string date, string contentSha256, string nonce)
    {
        var message = StringToSign(method, pathAndQuery, date, contentSha256, nonce);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(message));
        return Convert.ToBase64String(mac);
    }

    /// <summary>Lower-case hex SHA-256 of a body, as sent in <see cref="ContentHashHeader"/>.</summary>
    public static string HashBody(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    public static string NewNonce() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(NonceBytes));

    /// <summary>A nonce is hex of at least <see cref="NonceBytes"/> random bytes, and not absurdly long.</summary>
    public static bool IsWellFormedNonce(string? nonce) =>
        nonce is { Length: >= NonceBytes * 2 and <= 128 } && nonce.All(char.IsAsciiHexDigit);

    public static bool IsWellFormedContentHash(string? hash) =>
        hash is { Length: 64 } && hash.All(char.IsAsciiHexDigit);

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

    /// <summary>The headers a signed request carries, computed in one place for the SDK and the terminal socket.</summary>
    public static SignedHeaders Create(string accessKey, string secretKey, string method, string pathAndQuery, DateTime utcNow, ReadOnlySpan<byte> body)
    {
        var date = utcNow.ToUniversalTime().ToString("o", System.Globalization.CultureInfo.InvariantCulture);
        var hash = body.IsEmpty ? EmptyBodyHash : HashBody(body);
        var nonce = NewNonce();
        var signature = Sign(secretKey, method, pathAndQuery, date, hash, nonce);
        return new SignedHeaders(date, hash, nonce, AuthorizationValue(accessKey, signature));
    }
}

/// <summary>The header values of one signed request.</summary>
public sealed record SignedHeaders(string Date, string ContentSha256, string Nonce, string Authorization)
{
    public IEnumerable<(string Name, string Value)> All() =>
    [
        (RequestSignature.DateHeader, Date),
        (RequestSignature.ContentHashHeader, ContentSha256),
        (RequestSignature.NonceHeader, Nonce),
        ("Authorization", Authorization),
    ];
}
