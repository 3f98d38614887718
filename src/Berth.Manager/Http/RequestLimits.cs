namespace Berth.Manager.Http;

/// <summary>
/// How large a request body the JSON API reads. Its requests are small documents; anything bigger is refused
/// (413 <c>body-too-large</c>) before it is buffered, so nobody can make the manager hold or log megabytes.
/// File contents go to <c>/storage/v1</c>, which keeps its own limits; the app proxy and terminals are not capped here.
/// </summary>
public static class RequestLimits
{
    public const long JsonBodyBytes = 1L << 20;

    /// <summary>
    /// A sync is one heartbeat: capacity and the node's image tags. Measured (RequestLimitTests): 1,000 image tags
    /// weigh about 60 KB, 20,000 about 1.3 MB; the cap leaves room for a node with tens of thousands.
    /// </summary>
    public const long AgentSyncBytes = 4L << 20;

    /// <summary>
    /// A report carries, for each kernel that stopped, the tail of its output (up to 1 MiB of bytes, which JSON
    /// escaping can grow up to six times). Measured (RequestLimitTests): 16 kernels ending in one round with full
    /// 1 MiB tails of control characters weigh about 96 MiB; the agent reports each reconcile round.
    /// </summary>
    public const long AgentReportBytes = 128L << 20;

    /// <summary>The cap for a request to <paramref name="path"/>, or null for paths this API does not own.</summary>
    public static long? For(string path)
    {
        if (path.StartsWith("/api/agent/v1/report", StringComparison.OrdinalIgnoreCase)) return AgentReportBytes;
        if (path.StartsWith("/api/agent/v1/", StringComparison.OrdinalIgnoreCase)) return AgentSyncBytes;
        if (path.StartsWith("/api/", StringComparison.OrdinalIgnoreCase)) return JsonBodyBytes;
        return null;
    }
}
