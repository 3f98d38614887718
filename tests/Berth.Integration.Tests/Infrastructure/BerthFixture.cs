namespace Berth.Integration.Tests.Infrastructure;

/// <summary>
/// One real server (own process, own data directory, the database BERTH_TEST_DB names) shared by every
/// integration test; each test makes its own users and folders with unique names.
/// </summary>
public sealed class BerthFixture : IAsyncLifetime
{
    private TestDatabase? _database;
    private ServerProcess? _server;

    public ServerProcess Server => _server ?? throw new InvalidOperationException("server not started");
    public string DatabaseProvider => _database?.Provider ?? "?";
    public CliRunner Admin { get; private set; } = null!;

    /// <summary>The python image takes minutes to build; scripts/test builds it before the suite, a developer's quick run may not have it.</summary>
    public bool HasPythonImage { get; private set; }

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync();
        await TestDocker.EnsureMinimalImageAsync();
        var data = Directory.CreateTempSubdirectory("berth-it-").FullName;
        _server = await ServerProcess.StartAsync(data, _database.Settings);
        Admin = await LoginAsync(ServerProcess.AdminEmail, ServerProcess.AdminPassword);
        using var admin = ClientFor(Admin);
        await admin.ImportImageAsync(new Berth.Core.Contracts.ImportImageRequest(TestDocker.MinimalReference, "minimal"));
        HasPythonImage = await TestDocker.HasImageAsync(TestDocker.PythonReference);
        if (HasPythonImage) await admin.ImportImageAsync(new Berth.Core.Contracts.ImportImageRequest(TestDocker.PythonReference, "python"));
    }

    public Task<CliRunner> LoginAsync(string email, string password) => CliRunner.LoginAsync(Server.Endpoint, email, password);

    /// <summary>Creates a fresh user through the admin CLI and returns a CLI logged in as them.</summary>
    public async Task<(string Email, CliRunner Cli)> NewUserAsync(string prefix)
    {
        var email = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)] + "@berth.test";
        const string password = "violet-otter-quietly";
        var created = await Admin.RunAsync("admin", "user", "create", email, "--password", password);
        if (created.ExitCode != 0) throw new InvalidOperationException($"creating {email} failed: {created}");
        return (email, await LoginAsync(email, password));
    }

    /// <summary>An SDK client with the same keypair the CLI stored at login.</summary>
    public Berth.Client.BerthClient ClientFor(CliRunner cli) => ClientFor(Server.Endpoint, cli);

    /// <summary>An SDK client with the keys the CLI logged in with, for a server of the test's own.</summary>
    public static Berth.Client.BerthClient ClientFor(Uri endpoint, CliRunner cli)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(cli.ConfigDirectory, "config.json")));
        var root = doc.RootElement;
        return new Berth.Client.BerthClient(endpoint,
            new Berth.Client.ApiKeyPair(root.GetProperty("accessKey").GetString()!, root.GetProperty("secretKey").GetString()!));
    }

    public static void TryDelete(string directory)
    {
        try { Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
            await TestDocker.RemoveContainersOfAgentAsync(_server.AgentId);
            // BERTH_TEST_KEEP_DATA=1 keeps the data directory (and its server.log) for reading after a run.
            if (Environment.GetEnvironmentVariable("BERTH_TEST_KEEP_DATA") != "1") TryDelete(_server.DataDirectory);
        }
        if (_database is not null) await _database.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BerthCollection : ICollectionFixture<BerthFixture>
{
    public const string Name = "berth-server";
}
