using Berth.Core.Agents;
using Berth.Manager.Accounts;
using Microsoft.Extensions.Options;

namespace Berth.Manager.Agents;

/// <summary>
/// The agents this manager can talk to: the agent inside this process (in `berth server`), if any, plus the
/// remote agents that are ALIVE and declared a control URL. The remote list is a snapshot that
/// <see cref="AgentLivenessLoop"/> replaces from the <c>agents</c> table every round and that each heartbeat
/// updates at once (<see cref="Seen"/>), so an agent is reachable from its first sync on.
/// </summary>
public sealed class AgentDirectory : IAgentDirectory, IDisposable
{
    private readonly IReadOnlyList<IAgentControl> _local;
    private readonly HttpClient _http;
    private readonly IOptions<ManagerOptions> _options;
    private readonly Lock _gate = new();
    private Dictionary<string, RemoteAgentControl> _remote = new(StringComparer.Ordinal);
    private IReadOnlyList<IAgentControl> _all;

    public AgentDirectory(IEnumerable<IAgentControl> local, IOptions<ManagerOptions> options)
    {
        _local = local.ToList();
        _options = options;
        _all = _local;
        // Exec calls last as long as the command; every other call bounds itself (RemoteAgentControl.CallTimeout).
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AllowAutoRedirect = false,
            UseCookies = false,
        }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public IReadOnlyList<IAgentControl> All
    {
        get { lock (_gate) return _all; }
    }

    public IAgentControl? Find(string agentId)
    {
        lock (_gate)
            return _local.FirstOrDefault(a => a.AgentId == agentId) ?? _remote.GetValueOrDefault(agentId);
    }

    /// <summary>
    /// An agent just synced: make it reachable now at the URL it declares. An agent that declares none (or none
    /// usable) is not reachable: a control URL it declared before is forgotten, so nothing waits on it.
    /// </summary>
    public void Seen(string agentId, string? controlUrl)
    {
        if (_local.Any(a => a.AgentId == agentId)) return;
        if (!TryParse(controlUrl, out var url))
        {
            lock (_gate)
            {
                if (!_remote.ContainsKey(agentId)) return;
                var without = new Dictionary<string, RemoteAgentControl>(_remote, StringComparer.Ordinal);
                without.Remove(agentId);
                Publish(without);
            }
            return;
        }
        lock (_gate)
        {
            if (_remote.TryGetValue(agentId, out var known) && known.ControlUrl == Normalize(url)) return;
            var next = new Dictionary<string, RemoteAgentControl>(_remote, StringComparer.Ordinal) { [agentId] = Create(agentId, url) };
            Publish(next);
        }
    }

    /// <summary>Replaces the remote agents with the ALIVE ones the database lists (id → control URL).</summary>
    public void Replace(IEnumerable<(string AgentId, string? ControlUrl)> alive)
    {
        lock (_gate)
        {
            var next = new Dictionary<string, RemoteAgentControl>(StringComparer.Ordinal);
            foreach (var (id, text) in alive)
            {
                if (!TryParse(text, out var url) || _local.Any(a => a.AgentId == id)) continue;
                next[id] = _remote.TryGetValue(id, out var known) && known.ControlUrl == Normalize(url) ? known : Create(id, url);
            }
            Publish(next);
        }
    }

    private void Publish(Dictionary<string, RemoteAgentControl> remote)
    {
        _remote = remote;
        _all = [.. _local, .. remote.Values.OrderBy(r => r.AgentId, StringComparer.Ordinal)];
    }

    private RemoteAgentControl Create(string id, Uri url) => new(id, url, _http, () => _options.Value.AgentToken);

    private static Uri Normalize(Uri url) => url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");

    private static bool TryParse(string? text, out Uri url)
    {
        url = null!;
        if (string.IsNullOrWhiteSpace(text) || !Uri.TryCreate(text, UriKind.Absolute, out var parsed)
            || parsed.Scheme is not ("http" or "https")) return false;
        url = parsed;
        return true;
    }

    public void Dispose() => _http.Dispose();
}
