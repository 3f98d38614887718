namespace Berth.Web;

/// <summary>Where the console finds its manager and keeps its own state (signing keys, signed-in keypairs).</summary>
public sealed class WebOptions
{
    /// <summary>The manager's base address, e.g. <c>http://127.0.0.1:8090</c>; inside <c>berth server</c>, the server itself.</summary>
    public required Uri Manager { get; init; }

    /// <summary>
    /// The console's own directory (0700): Data Protection keys and one protected file per signed-in browser,
    /// so that a restart signs nobody out.
    /// </summary>
    public required string DataDirectory { get; init; }
}
