using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Berth.Manager.Apps;

/// <summary>Configuration keys of <see cref="AppTokens"/>, read from the <c>Manager</c> section.</summary>
public sealed class AppTokenOptions
{
    /// <summary>
    /// The key session app tokens are derived with. Unset: a random key kept in <c>{DataDirectory}/app-token-secret</c>
    /// (0600). Managers that share a database must share it too, as they share the agent token.
    /// </summary>
    public string? AppTokenSecret { get; set; }

    public string DataDirectory { get; set; } = ".data";
}

/// <summary>
/// Each session's app token: HMAC-SHA256 of the session id under a key only managers know. The manager hands it to the
/// session's containers (<c>KernelSpec.AppToken</c> → <c>JUPYTER_TOKEN</c>) and its app proxy adds it to what it forwards
/// to the session's web services; nothing is stored, and a token says nothing about any other session's.
/// </summary>
public sealed class AppTokens
{
    public const string SecretFileName = "app-token-secret";
    private readonly byte[] _key;

    public AppTokens(IOptions<AppTokenOptions> options)
    {
        var o = options.Value;
        var secret = o.AppTokenSecret is { Length: > 0 } configured ? configured : LoadOrCreate(Path.Combine(Path.GetFullPath(o.DataDirectory), SecretFileName));
        _key = Encoding.UTF8.GetBytes(secret);
    }

    public string For(Guid sessionId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes("berth-app-token:" + sessionId.ToString("D"))));

    /// <summary>Kept across restarts (sessions that run keep the token they were started with); made once, 0600.</summary>
    private static string LoadOrCreate(string path)
    {
        if (File.Exists(path)) return File.ReadAllText(path).Trim();
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        try
        {
            using var stream = new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew, Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            });
            using var writer = new StreamWriter(stream);
            writer.Write(secret);
            return secret;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process of this data directory made it first: use theirs.
            return File.ReadAllText(path).Trim();
        }
    }
}
