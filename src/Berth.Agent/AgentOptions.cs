namespace Berth.Agent;

/// <summary>Configuration section <c>Agent</c>.</summary>
public sealed class AgentOptions
{
    public const string Section = "Agent";

    /// <summary>Stable id of this node's agent; containers are labelled with it and it touches no others.</summary>
    public string Id { get; set; } = "local";

    /// <summary>The resource group this node's capacity belongs to.</summary>
    public string ResourceGroup { get; set; } = "default";

    /// <summary>Declared capacity; defaults to what the node has.</summary>
    public decimal? Cpu { get; set; }
    public long? MemoryBytes { get; set; }

    /// <summary>Where the manager reaches this agent's control API (separate agent processes only).</summary>
    public string? ControlUrl { get; set; }

    /// <summary>The manager a separate agent process syncs with (<c>berth agent --manager</c>).</summary>
    public string? ManagerUrl { get; set; }

    /// <summary>The shared agent token: presented to the manager, and required of whoever calls the control API.</summary>
    public string? Token { get; set; }

    /// <summary>False runs `berth server` without its in-process agent (agents then run as `berth agent` on the nodes).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Look for NVIDIA GPUs with nvidia-smi and offer them as cuda.device slots.</summary>
    public bool DetectGpus { get; set; } = true;

    /// <summary>Per-kernel home directories (mounted at /home/work, deleted at termination).</summary>
    public string ScratchRoot { get; set; } = "";

    /// <summary>Storage host name → directory where that host's folders are reachable on this node.</summary>
    public Dictionary<string, string> VolumeMounts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The unprivileged user sessions run as; storage creates files for the same ids.</summary>
    public int ContainerUid { get; set; } = 1000;
    public int ContainerGid { get; set; } = 1000;

    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often running containers are measured for the manager's utilization idle check; zero turns it off.</summary>
    public TimeSpan StatsInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>on</c> (default): install the host firewall at start (sessions cannot connect to the host; only this agent's user may
    /// connect to sessions); <c>off</c>: leave iptables alone. See <see cref="Networking.HostFirewall"/>.
    /// </summary>
    public string Firewall { get; set; } = Networking.HostFirewall.On;

    /// <summary>
    /// The IPv4 pool each session's own network takes a block of (<see cref="SessionSubnetPrefix"/>); blocks that overlap the
    /// engine's other networks or the host's routes are skipped. Empty: Docker's default address pools choose (about 30
    /// networks on a stock engine).
    /// </summary>
    public string SessionSubnets { get; set; } = "10.208.0.0/12";

    /// <summary>The size of each session's block: /25 holds the largest cluster (64 containers) and gives 8192 networks in the default pool.</summary>
    public int SessionSubnetPrefix { get; set; } = 25;

    /// <summary>How much of a finished container's output is kept for `berth session logs`.</summary>
    public int LogTailBytes { get; set; } = 1024 * 1024;
}
