using Berth.Agent.Runtime;
using Berth.Core.Agents;
using Docker.DotNet;
using Docker.DotNet.Models;
using Microsoft.Extensions.Logging;

namespace Berth.Agent.Networking;

/// <summary>
/// One Docker bridge network per session (a cluster session's containers share it): Docker's bridge isolation keeps
/// sessions from reaching each other, and the bridge's interface name (<c>bth…</c>) is what the host firewall
/// (<see cref="HostFirewall"/>) matches. Networks carry the agent's and the session's ids, so an agent removes only
/// its own stale ones.
/// </summary>
public sealed partial class SessionNetworks(IDockerClient docker, AgentOptions options, ILogger<SessionNetworks> log)
{
    /// <summary>Every session bridge's interface name starts with this; the firewall matches <c>bth+</c>.</summary>
    public const string BridgePrefix = "bth";
    public const string BridgeNameOption = "com.docker.network.bridge.name";
    private const string NamePrefix = "berth-";

    public static string NameFor(Guid sessionId) => NamePrefix + sessionId.ToString("N");

    /// <summary><c>bth</c> + 12 hex digits of the session id: 15 characters, Linux's limit for an interface name.</summary>
    public static string BridgeNameFor(Guid sessionId) => BridgePrefix + sessionId.ToString("N")[..12];

    /// <summary>The network a kernel joins: the manager's choice, else (older managers) the session's own.</summary>
    public static string Of(KernelSpec spec) => spec.Network ?? NameFor(spec.SessionId);

    /// <summary>Creates the session's network unless it exists (the first of a cluster's containers makes it).</summary>
    public async Task EnsureAsync(KernelSpec spec, CancellationToken ct)
    {
        var name = Of(spec);
        // Docker 20.10 allows two networks of one name, so look first; an agent starts kernels one at a time.
        try
        {
            await docker.Networks.InspectNetworkAsync(name, ct);
            return;
        }
        catch (DockerNetworkNotFoundException) { }

        var pool = SubnetPool(options);
        for (var attempt = 1; ; attempt++)
        {
            Ipv4Subnet? subnet = pool is { } p ? await ChooseSubnetAsync(p, ct) : null;
            try
            {
                await docker.Networks.CreateNetworkAsync(Parameters(name, spec.SessionId, subnet), ct);
                return;
            }
            // Another agent on this engine (a second installation) took the same block between our look and our create.
            catch (DockerApiException e) when (subnet is not null && attempt < 8 && (e.ResponseBody ?? "").Contains("overlap", StringComparison.OrdinalIgnoreCase))
            {
                LogSubnetRace(subnet.Value.ToString(), name);
            }
        }
    }

    private NetworksCreateParameters Parameters(string name, Guid sessionId, Ipv4Subnet? subnet) => new()
    {
        Name = name,
        Driver = "bridge",
        Options = new Dictionary<string, string> { [BridgeNameOption] = BridgeNameFor(sessionId) },
        Labels = new Dictionary<string, string>
        {
            [ContainerLabels.Agent] = options.Id,
            [ContainerLabels.SessionId] = sessionId.ToString(),
        },
        IPAM = subnet is { } s ? new IPAM { Driver = "default", Config = [new IPAMConfig { Subnet = s.ToString() }] } : null,
    };

    /// <summary>The pool sessions' subnets come from; null leaves the choice to Docker's default address pools.</summary>
    public static Ipv4Subnet? SubnetPool(AgentOptions options) =>
        string.IsNullOrWhiteSpace(options.SessionSubnets) ? null
        : Ipv4Subnet.TryParse(options.SessionSubnets, out var pool) ? pool
        : throw new InvalidOperationException($"Agent:SessionSubnets '{options.SessionSubnets}' is not an IPv4 prefix.");

    private async Task<Ipv4Subnet> ChooseSubnetAsync(Ipv4Subnet pool, CancellationToken ct)
    {
        var taken = new List<Ipv4Subnet>(HostRoutes.Read());
        foreach (var network in await docker.Networks.ListNetworksAsync(new NetworksListParameters(), ct))
            foreach (var config in network.IPAM?.Config ?? [])
                if (Ipv4Subnet.TryParse(config.Subnet, out var used)) taken.Add(used);
        // A random starting block: two installations on one engine that pick at the same moment then almost never
        // pick the same block, where "the first free one" made them collide on every create while both were busy.
        var blocks = pool.Size >> (32 - options.SessionSubnetPrefix);
        var start = blocks > 0 ? (ulong)Random.Shared.NextInt64((long)blocks) : 0;
        return Ipv4Subnet.FirstFree(pool, options.SessionSubnetPrefix, taken, start)
               ?? throw new InvalidOperationException(
                   $"no free /{options.SessionSubnetPrefix} is left in Agent:SessionSubnets {pool} for another session network; " +
                   "give a larger pool or a longer Agent:SessionSubnetPrefix");
    }

    /// <summary>Removes a session's network once none of its containers is left; a network still in use stays.</summary>
    public async Task RemoveQuietlyAsync(string name)
    {
        try { await docker.Networks.DeleteNetworkAsync(name, CancellationToken.None); }
        catch (DockerApiException) { }
    }

    /// <summary>
    /// After a crash, networks of sessions this agent no longer runs: removed when empty. Only networks labelled with
    /// this agent's id are looked at (another installation's, or anyone else's, are never touched).
    /// </summary>
    public async Task RemoveStaleAsync(IReadOnlySet<Guid> liveSessions, CancellationToken ct)
    {
        var mine = await docker.Networks.ListNetworksAsync(new NetworksListParameters
        {
            Filters = new Dictionary<string, IDictionary<string, bool>>
            {
                ["label"] = new Dictionary<string, bool> { [$"{ContainerLabels.Agent}={options.Id}"] = true },
            },
        }, ct);
        foreach (var network in mine)
        {
            if (SessionOf(network) is not { } session || liveSessions.Contains(session)) continue;
            // Docker refuses to remove a network that still has containers (the list does not say): that one stays.
            LogRemovingStale(network.Name);
            await RemoveQuietlyAsync(network.ID);
        }
    }

    /// <summary>The session label, or (networks made before it existed) the session id in the name.</summary>
    private static Guid? SessionOf(NetworkResponse network) =>
        network.Labels is { } labels && labels.TryGetValue(ContainerLabels.SessionId, out var label) && Guid.TryParse(label, out var id) ? id
        : network.Name.StartsWith(NamePrefix, StringComparison.Ordinal) && Guid.TryParseExact(network.Name[NamePrefix.Length..], "N", out var fromName) ? fromName
        : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Subnet {Subnet} for network {Network} was taken meanwhile; choosing another.")]
    private partial void LogSubnetRace(string subnet, string network);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removing network {Network}: its session is not running here any more.")]
    private partial void LogRemovingStale(string network);
}
