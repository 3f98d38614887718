using System.Security.Cryptography;
using Berth.Agent;
using Berth.Manager;
using Berth.Storage;
using Berth.Storage.FileSystem;
using Berth.Storage.Http;
using Berth.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Berth.Cli.Hosting;

/// <summary>
/// Composes the all-in-one server: manager and storage in one process over the embedded SQLite
/// database and a storage host <c>local</c> under the data directory. Every default can be
/// overridden with BERTH_-prefixed environment variables (e.g. <c>BERTH_Database__Provider=postgres</c>).
/// </summary>
public static class ServerHost
{
    public static WebApplication Build(ServerSettings settings, string[]? args = null)
    {
        var data = Path.GetFullPath(settings.DataDirectory);
        // The database and the secrets live here: 0700, so no other local user can read them.
        PrivatePaths.EnsureDirectory(data);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args ?? [], ContentRootPath = data,
            // The console's published static files sit beside the program, not in the data directory.
            WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
        });
        builder.Configuration.AddInMemoryCollection(Defaults(data));
        builder.Configuration.AddEnvironmentVariables("BERTH_");
        builder.Configuration.AddInMemoryCollection(FriendlyEnvironment());
        builder.Configuration.AddInMemoryCollection(settings.Overrides);
        builder.WebHost.UseUrls("http://" + settings.Listen);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 16 * 1024 * 1024);

        builder.AddBerthStorage();
        builder.AddBerthManager();
        // Without the in-process agent, sessions run on `berth agent` processes only.
        if (builder.Configuration.GetValue("Agent:Enabled", true)) builder.AddBerthAgent();
        // The web console at /, a client of this very server over loopback HTTP (as `berth web` is of a remote one).
        builder.AddBerthWeb(new WebOptions { Manager = WebHost.LoopbackUri(settings.Listen), DataDirectory = Path.Combine(data, "web") });

        var app = builder.Build();
        app.MapBerthManager();
        app.MapBerthStorageApi();
        app.MapBerthWeb();
        return app;
    }

    public static async Task<int> RunAsync(ServerSettings settings, CancellationToken ct)
    {
        await using var app = Build(settings);
        await app.InitializeBerthManagerAsync(ct);
        RestrictDatabaseFiles(settings.DataDirectory);
        ServerLog.AgentToken(app.Logger, Path.Combine(Path.GetFullPath(settings.DataDirectory), AgentTokenFileName));
        await app.StartAsync(ct);
        // Ctrl+C cancels ct (System.CommandLine) as well as stopping the host (SIGTERM); either ends the wait.
        await app.WaitForShutdownAsync(ct);
        return 0;
    }

    public const string AgentTokenFileName = "agent-token";
    public const string AgentIdFileName = "agent-id";

    /// <summary>The in-process agent's id, made once per data directory: <c>local-</c> and 10 random hex digits.</summary>
    internal static string LoadOrCreateAgentId(string path)
    {
        if (File.Exists(path) && File.ReadAllText(path).Trim() is { Length: > 0 } existing) return existing;
        // A data directory from before per-installation ids keeps the old name, so its running sessions stay adopted.
        var upgraded = File.Exists(Path.Combine(Path.GetDirectoryName(path)!, "berth.db"));
        var id = upgraded ? "local" : "local-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(5)).ToLowerInvariant();
        var temp = path + ".tmp";
        File.WriteAllText(temp, id + "\n");
        File.Move(temp, path, overwrite: false);
        return id;
    }

    /// <summary>SQLite creates its files with the process umask; the database holds every account, so 0600.</summary>
    private static void RestrictDatabaseFiles(string dataDirectory)
    {
        var db = Path.Combine(Path.GetFullPath(dataDirectory), "berth.db");
        foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" }) PrivatePaths.RestrictFile(db + suffix);
    }

    private static Dictionary<string, string?> Defaults(string data) => new()
    {
        ["Database:Provider"] = "sqlite",
        ["Database:ConnectionString"] = $"Data Source={Path.Combine(data, "berth.db")}",
        ["Storage:Volumes:local"] = Path.Combine(data, "volumes", "local"),
        ["Storage:TokenSecret"] = LoadOrCreateSecret(Path.Combine(data, "storage-secret")),
        // The secret `berth agent` processes on other nodes present (and that the manager presents to them).
        ["Manager:AgentToken"] = LoadOrCreateSecret(Path.Combine(data, AgentTokenFileName)),
        ["Manager:DataDirectory"] = data,
        // The in-process agent sees the storage host's folders at the same place, and gives sessions
        // homes under the data directory; storage creates files as the session user so both can write them.
        // Unique per installation: agents touch only containers labelled with their own id, so two servers
        // on one Docker engine (a test server beside a dev server) never remove each other's sessions.
        ["Agent:Id"] = LoadOrCreateAgentId(Path.Combine(data, AgentIdFileName)),
        ["Agent:ScratchRoot"] = Path.Combine(data, "scratch"),
        ["Agent:VolumeMounts:local"] = Path.Combine(data, "volumes", "local"),
        ["Storage:OwnerUid"] = "1000",
        ["Storage:OwnerGid"] = "1000",
        ["Manager:DefaultStorageHost"] = "local",
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Warning",
    };

    /// <summary>The documented short names (BERTH_ADMIN_EMAIL, ...) on top of the generic BERTH_Section__Key form.</summary>
    private static Dictionary<string, string?> FriendlyEnvironment()
    {
        var map = new Dictionary<string, string?>();
        void From(string env, string key)
        {
            if (Environment.GetEnvironmentVariable(env) is { Length: > 0 } v) map[key] = v;
        }
        From("BERTH_ADMIN_EMAIL", "Manager:AdminEmail");
        From("BERTH_ADMIN_PASSWORD", "Manager:AdminPassword");
        From("BERTH_DATABASE_PROVIDER", "Database:Provider");
        From("BERTH_DATABASE_CONNECTION", "Database:ConnectionString");
        return map;
    }

    /// <summary>A secret kept in the data directory (0600) so that it survives restarts: the storage ticket key, the agent token.</summary>
    internal static string LoadOrCreateSecret(string path)
    {
        if (File.Exists(path))
        {
            PrivatePaths.RestrictFile(path);
            return File.ReadAllText(path).Trim();
        }
        var secret = Convert.ToHexString(RandomNumberGenerator.GetBytes(32)).ToLowerInvariant();
        using (var stream = new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew, Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        }))
        using (var writer = new StreamWriter(stream)) writer.Write(secret);
        return secret;
    }
}

internal static partial class ServerLog
{
    [Microsoft.Extensions.Logging.LoggerMessage(Level = Microsoft.Extensions.Logging.LogLevel.Information,
        Message = "Agents on other nodes join with `berth agent --manager URL --token ...`; the token is in {Path} (or Manager:AgentToken when set).")]
    public static partial void AgentToken(Microsoft.Extensions.Logging.ILogger log, string path);
}
