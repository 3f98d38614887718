using System.Security.Cryptography;
using System.Text.Json;
using Berth.Client;
using Microsoft.AspNetCore.DataProtection;

namespace Berth.Web.Auth;

/// <summary>
/// The keypairs of signed-in browsers, kept by the web host and never sent to the browser: the cookie carries
/// only a random handle. Each entry is a file protected with Data Protection (whose keys live beside it), so
/// entries outlive a restart and are unreadable without the key ring.
/// </summary>
public sealed class KeyPairVault
{
    private readonly string _directory;
    private readonly IDataProtector _protector;

    public KeyPairVault(WebOptions options, IDataProtectionProvider protection)
    {
        _directory = Path.Combine(options.DataDirectory, "signed-in");
        Directory.CreateDirectory(_directory);
        File.SetUnixFileMode(_directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _protector = protection.CreateProtector("Berth.Web.KeyPairVault.v1");
    }

    /// <summary>Stores a keypair and returns the handle the cookie will carry.</summary>
    public string Store(ApiKeyPair keys)
    {
        var handle = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
        var payload = _protector.Protect(JsonSerializer.SerializeToUtf8Bytes(new Entry(keys.AccessKey, keys.SecretKey)));
        using var stream = new FileStream(PathOf(handle), new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        stream.Write(payload);
        return handle;
    }

    /// <summary>The keypair for a handle, or null when it was removed (signed out) or cannot be read.</summary>
    public ApiKeyPair? Find(string? handle)
    {
        if (!IsWellFormed(handle)) return null;
        try
        {
            var entry = JsonSerializer.Deserialize<Entry>(_protector.Unprotect(File.ReadAllBytes(PathOf(handle!))));
            return entry is null ? null : new ApiKeyPair(entry.AccessKey, entry.SecretKey);
        }
        catch (Exception e) when (e is FileNotFoundException or CryptographicException or JsonException)
        {
            return null;
        }
    }

    public void Remove(string? handle)
    {
        if (IsWellFormed(handle)) File.Delete(PathOf(handle!));
    }

    // Handles come back from cookies: only our own shape ever reaches the file system.
    private static bool IsWellFormed(string? handle) =>
        handle is { Length: 48 } && handle.All(c => c is >= '0' and <= '9' or >= 'a' and <= 'f');

    private string PathOf(string handle) => Path.Combine(_directory, handle);

    private sealed record Entry(string AccessKey, string SecretKey);
}
