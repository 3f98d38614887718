using Npgsql;

namespace Berth.Integration.Tests.Infrastructure;

/// <summary>
/// Which real database the suite runs against: BERTH_TEST_DB=sqlite (default) or postgres, the latter
/// on the server named by BERTH_TEST_POSTGRES, in a fresh database that is dropped afterwards.
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public string Provider { get; }
    public Dictionary<string, string?> Settings { get; } = new();
    private readonly string? _adminConnection;
    private readonly string? _databaseName;

    private TestDatabase(string provider, string? adminConnection, string? databaseName)
    {
        Provider = provider;
        _adminConnection = adminConnection;
        _databaseName = databaseName;
    }

    public static async Task<TestDatabase> CreateAsync()
    {
        var provider = Environment.GetEnvironmentVariable("BERTH_TEST_DB") is { Length: > 0 } p ? p : "sqlite";
        if (provider == "sqlite") return new TestDatabase("sqlite", null, null);
        if (provider != "postgres") throw new InvalidOperationException($"BERTH_TEST_DB must be sqlite or postgres, not '{provider}'.");
        return await CreatePostgresAsync();
    }

    /// <summary>A fresh PostgreSQL database, whatever BERTH_TEST_DB says (for tests that need several managers).</summary>
    public static async Task<TestDatabase> CreatePostgresAsync()
    {
        var admin = Environment.GetEnvironmentVariable("BERTH_TEST_POSTGRES")
            ?? throw new InvalidOperationException("BERTH_TEST_DB=postgres needs BERTH_TEST_POSTGRES (an Npgsql connection string); scripts/test sets it.");
        var name = "berth_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var conn = new NpgsqlConnection(admin))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        var db = new TestDatabase("postgres", admin, name);
        db.Settings["Database:Provider"] = "postgres";
        db.Settings["Database:ConnectionString"] = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        return db;
    }

    public async ValueTask DisposeAsync()
    {
        if (_adminConnection is null) return;
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(_adminConnection);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_databaseName} WITH (FORCE)", conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
