using System.Security.Cryptography;
using Berth.Core.Accounts;
using Berth.Manager.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Manager.Accounts;

public sealed class ManagerOptions
{
    public const string Section = "Manager";

    /// <summary>Where the manager keeps files of its own (the generated admin password).</summary>
    public string DataDirectory { get; set; } = ".data";

    /// <summary>Storage host used when a create-folder request names none.</summary>
    public string? DefaultStorageHost { get; set; }

    public string? AdminEmail { get; set; }
    public string? AdminPassword { get; set; }

    /// <summary>Catalog name → image reference registered at start when an agent has the image.</summary>
    public Dictionary<string, string> BuiltinImages { get; set; } = new()
    {
        ["minimal"] = "berth/minimal:latest",
        ["python"] = "berth/python:latest",
    };

    /// <summary>How long upload/download tickets stay valid: minutes, so that a leaked ticket is soon worthless.</summary>
    public TimeSpan TransferTicketLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long the storage may trust a ticket holder's access without asking again: unsharing, logging out,
    /// revoking a keypair or deactivating a user ends their tickets within this much time.
    /// </summary>
    public TimeSpan TicketAccessRecheck { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The shared secret agents present on <c>/api/agent/v1</c> and the manager presents to their control API. No token: no remote agent is accepted.</summary>
    public string? AgentToken { get; set; }

    /// <summary>
    /// The AES-256 key (64 hex digits or base64) that encrypts keypair secrets in the database. Unset: a key
    /// file in <see cref="DataDirectory"/>, created on first start. Several managers over one database need
    /// the same key here, or a keypair made on one does not work on another.
    /// </summary>
    public string? KeyEncryptionKey { get; set; }

    /// <summary>An agent not heard from for this long is marked LOST.</summary>
    public TimeSpan AgentHeartbeatTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Sessions on a LOST agent that is not back within this long are terminated (reason <c>agent-lost</c>).</summary>
    public TimeSpan LostAgentGrace { get; set; } = TimeSpan.FromMinutes(10);
}

/// <summary>On an empty database, creates the first superadmin so that someone can log in at all.</summary>
public sealed partial class AdminBootstrap(BerthDbContext db, AccountService accounts, IOptions<ManagerOptions> options, ILogger<AdminBootstrap> log)
{
    public const string DefaultAdminEmail = "admin@berth.local";
    public const string PasswordFileName = "admin-password";

    public async Task RunAsync(CancellationToken ct)
    {
        if (await db.Users.AnyAsync(ct)) return;
        var o = options.Value;
        var email = AccountRules.NormalizeEmail(string.IsNullOrWhiteSpace(o.AdminEmail) ? DefaultAdminEmail : o.AdminEmail);
        var password = o.AdminPassword;
        if (string.IsNullOrEmpty(password))
        {
            password = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', 'x').Replace('/', 'y');
            var file = WritePasswordFile(o.DataDirectory, email, password);
            LogGenerated(email, file);
        }
        else if (AccountRules.CheckPassword(password, email) is { } bad)
        {
            throw new InvalidOperationException($"BERTH_ADMIN_PASSWORD: {bad.Detail}");
        }
        await accounts.CreateUserCoreAsync(email, password, UserRole.SuperAdmin, ct);
        LogCreated(email);
    }

    private static string WritePasswordFile(string dataDirectory, string email, string password)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.GetFullPath(Path.Combine(dataDirectory, PasswordFileName));
        // Create with 0600 from the start so the secret is never readable by others, not even briefly.
        using (var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.Create, Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        using (var writer = new StreamWriter(stream))
        {
            writer.WriteLine($"email: {email}");
            writer.WriteLine($"password: {password}");
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return path;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created superadmin {Email} with a generated password, written to {File} (mode 0600). Log in with it and keep it safe.")]
    private partial void LogGenerated(string email, string file);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created superadmin {Email}.")]
    private partial void LogCreated(string email);
}
