using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Berth.Core.Problems;
using Berth.Storage.Options;
using Microsoft.Extensions.Options;

namespace Berth.Storage.Tokens;

/// <summary>
/// Signs and verifies <see cref="StorageGrant"/>s: <c>base64url(JSON) "." base64url(HMAC-SHA256(JSON))</c>.
/// The manager issues, the storage validates; both share <see cref="StorageOptions.TokenSecret"/>.
/// </summary>
public sealed class StorageTokenService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly byte[] _key;
    private readonly TimeProvider _time;

    public StorageTokenService(IOptions<StorageOptions> options, TimeProvider time)
        : this(options.Value.TokenSecret, time) { }

    public StorageTokenService(string secret, TimeProvider time)
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < StorageOptionsValidator.MinSecretLength)
            throw new ArgumentException($"The token secret must be at least {StorageOptionsValidator.MinSecretLength} characters.", nameof(secret));
        _key = Encoding.UTF8.GetBytes(secret);
        _time = time;
    }

    public string Issue(StorageGrant grant)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(grant, Json);
        var mac = HMACSHA256.HashData(_key, payload);
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(mac);
    }

    /// <summary>Returns the grant, or throws <c>token-invalid</c> / <c>token-expired</c> (401).</summary>
    public StorageGrant Validate(string? token)
    {
        if (string.IsNullOrEmpty(token)) throw Invalid("No storage token was given.");
        var dot = token.IndexOf('.');
        if (dot <= 0 || dot != token.LastIndexOf('.')) throw Invalid("The storage token is malformed.");
        byte[] payload, mac;
        try
        {
            payload = Base64Url.DecodeFromChars(token.AsSpan(0, dot));
            mac = Base64Url.DecodeFromChars(token.AsSpan(dot + 1));
        }
        catch (FormatException)
        {
            throw Invalid("The storage token is malformed.");
        }
        // Verify the signature before parsing anything an attacker wrote.
        if (!CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key, payload), mac))
            throw Invalid("The storage token's signature does not verify.");
        StorageGrant? grant;
        try
        {
            grant = JsonSerializer.Deserialize<StorageGrant>(payload, Json);
        }
        catch (JsonException)
        {
            grant = null;
        }
        if (grant is null || grant.Operation is null || grant.Host is null || grant.Path is null)
            throw Invalid("The storage token's payload is not a grant.");
        if (grant.ExpiresAt <= _time.GetUtcNow())
            throw new Problem(401, "token-expired", $"The storage token expired at {grant.ExpiresAt:O}; ask the manager for a new one.", "token").ToException();
        return grant;
    }

    private static BerthProblemException Invalid(string detail) => new Problem(401, "token-invalid", detail, "token").ToException();
}
