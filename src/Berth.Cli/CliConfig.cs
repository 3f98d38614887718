using System.Text.Json;
using System.Text.Json.Serialization;
using Berth.Client;

namespace Berth.Cli;

/// <summary>What <c>config.json</c> holds: where the server is and the keypair <c>berth login</c> got.</summary>
public sealed class CliConfig
{
    [JsonPropertyName("endpoint")] public string? Endpoint { get; set; }
    [JsonPropertyName("accessKey")] public string? AccessKey { get; set; }
    [JsonPropertyName("secretKey")] public string? SecretKey { get; set; }
    [JsonPropertyName("email")] public string? Email { get; set; }

    [JsonIgnore]
    public ApiKeyPair? Keys => string.IsNullOrEmpty(AccessKey) || string.IsNullOrEmpty(SecretKey) ? null : new(AccessKey, SecretKey);
}

/// <summary>
/// The CLI's config directory: <c>$BERTH_CONFIG_DIR</c>, else <c>~/.config/berth</c> (created 0700), holding
/// <c>config.json</c> and the upload resume file <c>uploads.json</c> (both 0600).
/// </summary>
public sealed class CliConfigStore(string directory)
{
    public const string DefaultEndpoint = "http://127.0.0.1:8090";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public string Directory { get; } = directory;
    public string ConfigPath => Path.Combine(Directory, "config.json");
    public string UploadsPath => Path.Combine(Directory, "uploads.json");

    public static CliConfigStore FromEnvironment()
    {
        var dir = Environment.GetEnvironmentVariable("BERTH_CONFIG_DIR");
        if (string.IsNullOrWhiteSpace(dir))
            dir = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config", "berth");
        return new CliConfigStore(dir);
    }

    public CliConfig Load()
    {
        if (!File.Exists(ConfigPath)) return new CliConfig();
        try
        {
            return JsonSerializer.Deserialize<CliConfig>(File.ReadAllText(ConfigPath), Json) ?? new CliConfig();
        }
        catch (JsonException e)
        {
            throw new CliException($"the config file {ConfigPath} is damaged ({e.Message}); delete it and run `berth login` again");
        }
    }

    public void Save(CliConfig config)
    {
        PrivateFile.EnsurePrivateDirectory(Directory);
        var temp = ConfigPath + ".tmp-" + Environment.ProcessId;
        PrivateFile.WriteAllText(temp, JsonSerializer.Serialize(config, Json));
        File.Move(temp, ConfigPath, overwrite: true);
    }

    /// <summary>The endpoint to talk to: <c>BERTH_ENDPOINT</c>, else the configured one, else the default.</summary>
    public static string ResolveEndpoint(CliConfig config, string? explicitEndpoint = null)
    {
        if (!string.IsNullOrWhiteSpace(explicitEndpoint)) return explicitEndpoint.Trim();
        var env = Environment.GetEnvironmentVariable("BERTH_ENDPOINT");
        if (!string.IsNullOrWhiteSpace(env)) return env.Trim();
        return string.IsNullOrWhiteSpace(config.Endpoint) ? DefaultEndpoint : config.Endpoint;
    }

    public static Uri ParseEndpoint(string endpoint)
    {
        if (Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            return uri;
        throw new CliException($"'{endpoint}' is not an http(s) URL, e.g. {DefaultEndpoint}");
    }
}

/// <summary>A failure of the CLI's own making (not logged in, bad local file, ...): shown as <c>error: message</c>.</summary>
public sealed class CliException(string message, int exitCode = BerthCli.ExitFailed) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
