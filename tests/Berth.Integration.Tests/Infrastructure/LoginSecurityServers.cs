using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Berth.Client;
using Berth.Core.Contracts;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Berth.Integration.Tests.Infrastructure;

/// <summary>
/// Two servers of their own (no agent) for the login-security tests: <see cref="Strict"/> locks after a few
/// failures, for short times, so lockouts can be driven without long waits; <see cref="Roomy"/> never locks,
/// so timing and flood measurements exercise the password hashing itself.
/// </summary>
public sealed class LoginSecurityServers : IAsyncLifetime
{
    public const int AccountLimit = 5, AddressLimit = 12;
    private TestDatabase? _strictDb, _roomyDb;

    public ServerProcess Strict { get; private set; } = null!;
    public ServerProcess Roomy { get; private set; } = null!;
    public CliRunner StrictAdmin { get; private set; } = null!;
    public CliRunner RoomyAdmin { get; private set; } = null!;
    public TestDatabase RoomyDatabase => _roomyDb!;

    public async Task InitializeAsync()
    {
        _strictDb = await TestDatabase.CreateAsync();
        _roomyDb = await TestDatabase.CreateAsync();
        var strict = new Dictionary<string, string?>(_strictDb.Settings)
        {
            ["Login:AccountFailureLimit"] = AccountLimit.ToString(),
            ["Login:AddressFailureLimit"] = AddressLimit.ToString(),
            ["Login:LockoutBase"] = "00:00:02",
            ["Login:LockoutMax"] = "00:00:08",
        };
        var roomy = new Dictionary<string, string?>(_roomyDb.Settings)
        {
            ["Login:AccountFailureLimit"] = "10000",
            ["Login:AddressFailureLimit"] = "1000000",
        };
        Strict = await ServerProcess.StartAsync(Directory.CreateTempSubdirectory("berth-login-strict-").FullName, strict, extraArgs: ["--no-agent"]);
        Roomy = await ServerProcess.StartAsync(Directory.CreateTempSubdirectory("berth-login-roomy-").FullName, roomy, extraArgs: ["--no-agent"]);
        StrictAdmin = await CliRunner.LoginAsync(Strict.Endpoint, ServerProcess.AdminEmail, ServerProcess.AdminPassword);
        RoomyAdmin = await CliRunner.LoginAsync(Roomy.Endpoint, ServerProcess.AdminEmail, ServerProcess.AdminPassword);
    }

    public const string Password = "violet-otter-quietly";

    /// <summary>A new user (role <paramref name="role"/>) on <paramref name="server"/>, created by that server's superadmin.</summary>
    public async Task<string> NewUserAsync(ServerProcess server, string prefix, string role = "user")
    {
        var email = BerthFixture.UniqueName(prefix) + "@berth.test";
        var admin = server == Strict ? StrictAdmin : RoomyAdmin;
        CliAssert.Succeeded(await admin.RunAsync("admin", "user", "create", email, "--password", Password, "--role", role));
        return email;
    }

    /// <summary>
    /// An HTTP client whose connections leave from <paramref name="localAddress"/> (any of 127.0.0.0/8), so the
    /// server sees a client address of the test's choosing.
    /// </summary>
    public static HttpClient From(ServerProcess server, string localAddress, int connections = 16) =>
        new(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(IPAddress.Parse(localAddress), 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        }) { BaseAddress = server.Endpoint, Timeout = TimeSpan.FromSeconds(60) };

    public sealed record LoginAnswer(HttpStatusCode Status, string? Rule, int? RetryAfter);

    public static async Task<LoginAnswer> LoginAsync(HttpClient http, string email, string password)
    {
        using var response = await http.PostAsJsonAsync("/api/auth/login", new LoginRequest(email, password));
        string? rule = null;
        if (!response.IsSuccessStatusCode)
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            rule = body.RootElement.TryGetProperty("rule", out var r) ? r.GetString() : null;
        }
        var retry = response.Headers.RetryAfter?.Delta is { } delta ? (int)delta.TotalSeconds : (int?)null;
        return new LoginAnswer(response.StatusCode, rule, retry);
    }

    /// <summary>Runs SQL against the database behind <paramref name="server"/>, as someone who copied it would.</summary>
    public static async Task<object?> ScalarAsync(ServerProcess server, TestDatabase database, string sql)
    {
        if (database.Provider == "postgres")
        {
            await using var pg = new NpgsqlConnection(database.Settings["Database:ConnectionString"]);
            await pg.OpenAsync();
            await using var command = new NpgsqlCommand(sql, pg);
            return await command.ExecuteScalarAsync();
        }
        await using var sqlite = new SqliteConnection($"Data Source={Path.Combine(server.DataDirectory, "berth.db")}");
        await sqlite.OpenAsync();
        await using var cmd = sqlite.CreateCommand();
        cmd.CommandText = sql;
        return await cmd.ExecuteScalarAsync();
    }

    public static ApiKeyPair KeysOf(CliRunner cli)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(cli.ConfigDirectory, "config.json")));
        return new ApiKeyPair(doc.RootElement.GetProperty("accessKey").GetString()!, doc.RootElement.GetProperty("secretKey").GetString()!);
    }

    public async Task DisposeAsync()
    {
        foreach (var server in new[] { Strict, Roomy })
        {
            if (server is null) continue;
            await server.DisposeAsync();
            if (Environment.GetEnvironmentVariable("BERTH_TEST_KEEP_DATA") != "1") BerthFixture.TryDelete(server.DataDirectory);
        }
        if (_strictDb is not null) await _strictDb.DisposeAsync();
        if (_roomyDb is not null) await _roomyDb.DisposeAsync();
    }
}
