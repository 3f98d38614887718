using Berth.Cli;

namespace Berth.Client.Tests;

[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class ConfigTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "berth-cfg-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Fact]
    public void Save_creates_a_private_file_in_a_private_directory_and_round_trips()
    {
        var store = new CliConfigStore(Path.Combine(_dir, "berth"));
        store.Save(new CliConfig { Endpoint = "http://h:1", AccessKey = "AK", SecretKey = "SK", Email = "a@b.c" });

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.ConfigPath));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(store.Directory));

        var loaded = store.Load();
        Assert.Equal("http://h:1", loaded.Endpoint);
        Assert.Equal("a@b.c", loaded.Email);
        Assert.Equal(new ApiKeyPair("AK", "SK"), loaded.Keys);

        var json = File.ReadAllText(store.ConfigPath);
        Assert.Contains("\"accessKey\"", json);
        Assert.Contains("\"secretKey\"", json);
        Assert.Contains("\"endpoint\"", json);
    }

    [Fact]
    public void Save_tightens_an_existing_world_readable_file()
    {
        var store = new CliConfigStore(_dir);
        Directory.CreateDirectory(_dir);
        File.WriteAllText(store.ConfigPath, "{}");
        File.SetUnixFileMode(store.ConfigPath, (UnixFileMode)0b110_100_100);

        store.Save(new CliConfig { AccessKey = "AK", SecretKey = "SK" });

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store.ConfigPath));
    }

    [Fact]
    public void Missing_file_means_not_logged_in()
    {
        var config = new CliConfigStore(_dir).Load();
        Assert.Null(config.Keys);
    }

    [Fact]
    public void Damaged_file_gives_a_clear_error()
    {
        var store = new CliConfigStore(_dir);
        Directory.CreateDirectory(_dir);
        File.WriteAllText(store.ConfigPath, "{not json");
        var e = Assert.Throws<CliException>(() => store.Load());
        Assert.Contains("berth login", e.Message);
    }

    [Fact]
    public void Endpoint_precedence_is_explicit_then_environment_then_config_then_default()
    {
        var previous = Environment.GetEnvironmentVariable("BERTH_ENDPOINT");
        try
        {
            Environment.SetEnvironmentVariable("BERTH_ENDPOINT", null);
            Assert.Equal(CliConfigStore.DefaultEndpoint, CliConfigStore.ResolveEndpoint(new CliConfig()));
            Assert.Equal("http://cfg:1", CliConfigStore.ResolveEndpoint(new CliConfig { Endpoint = "http://cfg:1" }));
            Environment.SetEnvironmentVariable("BERTH_ENDPOINT", "http://env:2");
            Assert.Equal("http://env:2", CliConfigStore.ResolveEndpoint(new CliConfig { Endpoint = "http://cfg:1" }));
            Assert.Equal("http://arg:3", CliConfigStore.ResolveEndpoint(new CliConfig { Endpoint = "http://cfg:1" }, "http://arg:3"));
        }
        finally
        {
            Environment.SetEnvironmentVariable("BERTH_ENDPOINT", previous);
        }
    }

    [Theory]
    [InlineData("ftp://x")]
    [InlineData("localhost:8090")]
    [InlineData("not a url")]
    public void Endpoint_must_be_http(string endpoint) =>
        Assert.Throws<CliException>(() => CliConfigStore.ParseEndpoint(endpoint));
}
