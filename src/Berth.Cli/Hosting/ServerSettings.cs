namespace Berth.Cli.Hosting;

/// <summary>What `berth server` needs to start; tests build the same thing with their own directory and port.</summary>
public sealed record ServerSettings(string DataDirectory, string Listen)
{
    public const string DefaultListen = "127.0.0.1:8090";

    public static string DefaultDataDirectory =>
        Environment.GetEnvironmentVariable("BERTH_DATA_DIR") is { Length: > 0 } dir ? dir : Path.GetFullPath(".data");

    /// <summary>Extra configuration (e.g. a PostgreSQL connection) layered over the embedded defaults.</summary>
    public IReadOnlyDictionary<string, string?> Overrides { get; init; } = new Dictionary<string, string?>();
}
