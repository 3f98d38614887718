using System.Security.Cryptography;
using System.Text;
using Berth.Manager.Accounts;
using Microsoft.Extensions.Options;

namespace Berth.Manager.Auth;

/// <summary>
/// Encrypts keypair secrets for the database with AES-256-GCM under a key that is never stored there:
/// <c>Manager:KeyEncryptionKey</c> when set (the same on every manager of a deployment), otherwise a key
/// file created once, mode 0600, in the data directory. The access key is the associated data, so a
/// ciphertext copied onto another row does not decrypt.
/// </summary>
public sealed class SecretKeyProtector
{
    public const string KeyFileName = "keypair-encryption-key";
    private const string Version = "v1:";
    private const int NonceSize = 12, TagSize = 16;

    private readonly byte[] _key;

    public SecretKeyProtector(IOptions<ManagerOptions> options) : this(LoadKey(options.Value)) { }

    public SecretKeyProtector(byte[] key)
    {
        if (key.Length != 32) throw new ArgumentException("The keypair encryption key must be 32 bytes.", nameof(key));
        _key = key;
    }

    public string Protect(string accessKey, string secretKey)
    {
        var plain = Encoding.UTF8.GetBytes(secretKey);
        var blob = new byte[NonceSize + TagSize + plain.Length];
        var nonce = blob.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(accessKey));
        return Version + Convert.ToBase64String(blob);
    }

    /// <summary>The secret, or null when the cipher is not ours (another key, another row, or tampered with).</summary>
    public string? Unprotect(string accessKey, string cipher)
    {
        if (!cipher.StartsWith(Version, StringComparison.Ordinal)) return null;
        byte[] blob;
        try { blob = Convert.FromBase64String(cipher[Version.Length..]); }
        catch (FormatException) { return null; }
        if (blob.Length < NonceSize + TagSize) return null;
        var plain = new byte[blob.Length - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(blob.AsSpan(0, NonceSize), blob.AsSpan(NonceSize + TagSize), blob.AsSpan(NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(accessKey));
        }
        catch (AuthenticationTagMismatchException) { return null; }
        return Encoding.UTF8.GetString(plain);
    }

    /// <summary>The configured key (64 hex digits or base64 of 32 bytes), else the data directory's key file, created when missing.</summary>
    public static byte[] LoadKey(ManagerOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.KeyEncryptionKey))
            return ParseKey(options.KeyEncryptionKey.Trim())
                ?? throw new InvalidOperationException("Manager:KeyEncryptionKey must be 32 bytes, as 64 hex digits or base64.");
        Directory.CreateDirectory(options.DataDirectory);
        var path = Path.GetFullPath(Path.Combine(options.DataDirectory, KeyFileName));
        if (!File.Exists(path))
        {
            try
            {
                // 0600 from the first byte; CreateNew so two processes starting at once cannot both write one.
                using var stream = new FileStream(path, new FileStreamOptions
                {
                    Mode = FileMode.CreateNew, Access = FileAccess.Write,
                    UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                });
                using var writer = new StreamWriter(stream);
                writer.Write(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)));
            }
            catch (IOException) when (File.Exists(path)) { }
        }
        return ParseKey(File.ReadAllText(path).Trim())
            ?? throw new InvalidOperationException($"{path} does not hold a 32-byte key (64 hex digits); restore it from a backup or remove it, which logs every user out.");
    }

    internal static byte[]? ParseKey(string text)
    {
        if (text.Length == 64 && text.All(char.IsAsciiHexDigit)) return Convert.FromHexString(text);
        try
        {
            var bytes = Convert.FromBase64String(text);
            return bytes.Length == 32 ? bytes : null;
        }
        catch (FormatException) { return null; }
    }
}
