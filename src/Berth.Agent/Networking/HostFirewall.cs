using Berth.Agent.Images;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Berth.Agent.Networking;

/// <summary>
/// Installs <see cref="FirewallRules"/> when the agent starts (<c>Agent:Firewall</c> = <c>on</c>, the default), before the
/// reconciler starts any container. Without iptables, or without the right to change it (an agent not running as root),
/// it warns once and the agent runs on: sessions are then still apart from each other (Docker's own isolation), but
/// local users of the host and the host's services are not shielded (docs/configuration.md).
/// </summary>
public sealed partial class HostFirewall(IOptions<AgentOptions> options, ILogger<HostFirewall> log) : IHostedService
{
    public const string On = "on", Off = "off";

    /// <summary>What the last start did, for diagnostics and tests: installed, off, or why not.</summary>
    public string State { get; private set; } = "not started";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (options.Value.Firewall == Off)
        {
            State = Off;
            LogOff();
            return;
        }
        var uid = CurrentUid();
        var iptables = ProcessRunner.Find("iptables", "/usr/sbin/iptables", "/sbin/iptables");
        if (iptables is null)
        {
            State = "iptables is not installed";
            LogUnavailable(State);
            return;
        }
        var failure = await InstallAsync(iptables, FirewallRules.For(uid, ipv6: false), cancellationToken);
        if (failure is not null)
        {
            State = failure;
            LogUnavailable(failure);
            return;
        }
        // IPv6 is a bonus: Docker gives session networks no IPv6 unless asked, so a host without ip6tables loses nothing.
        var ip6tables = ProcessRunner.Find("ip6tables", "/usr/sbin/ip6tables", "/sbin/ip6tables");
        var v6 = ip6tables is null ? "ip6tables is not installed" : await InstallAsync(ip6tables, FirewallRules.For(uid, ipv6: true), cancellationToken);
        if (v6 is not null) LogNoIpv6(v6);
        State = "installed";
        LogInstalled(uid);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Adds whatever of <paramref name="rules"/> is missing; returns why it could not, or null.</summary>
    private static async Task<string?> InstallAsync(string tool, IReadOnlyList<FirewallRule> rules, CancellationToken ct)
    {
        foreach (var chain in new[] { FirewallRules.InputChain, FirewallRules.OutputChain })
        {
            if ((await RunAsync(tool, ["-S", chain], ct)).Code == 0) continue;
            var created = await RunAsync(tool, ["-N", chain], ct);
            // Another agent may have made it meanwhile.
            if (created.Code != 0 && (await RunAsync(tool, ["-S", chain], ct)).Code != 0)
                return $"{Path.GetFileName(tool)} -N {chain} failed: {created.Output}";
        }
        foreach (var rule in rules)
        {
            if ((await RunAsync(tool, ["-C", rule.Chain, .. rule.Spec], ct)).Code == 0) continue;
            string[] add = rule.AtTop ? ["-I", rule.Chain, "1", .. rule.Spec] : ["-A", rule.Chain, .. rule.Spec];
            var added = await RunAsync(tool, add, ct);
            if (added.Code != 0) return $"{Path.GetFileName(tool)} {string.Join(' ', add)} failed: {added.Output}";
        }
        return null;
    }

    private static async Task<(int Code, string Output)> RunAsync(string tool, string[] args, CancellationToken ct)
    {
        var output = new List<string>();
        try
        {
            // -w: wait for the xtables lock, which Docker takes while it changes its own chains.
            var code = await ProcessRunner.RunAsync(tool, ["-w", "10", .. args], line => { if (output.Count < 10) output.Add(line); }, ct);
            return (code, string.Join(" ", output).Trim());
        }
        catch (ImageBuildException e)
        {
            return (-1, e.Message);
        }
    }

    /// <summary>The effective uid of this process (from /proc: no native call needed).</summary>
    public static uint CurrentUid()
    {
        try
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
            var fields = line?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields is { Length: >= 3 } && uint.TryParse(fields[2], System.Globalization.CultureInfo.InvariantCulture, out var euid)) return euid;
        }
        catch (IOException) { }
        return Environment.IsPrivilegedProcess ? 0u : uint.MaxValue;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Host firewall installed: sessions cannot connect to this host, and only uid {Uid} (and other Berth agents' users) may connect to sessions.")]
    private partial void LogInstalled(uint uid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Host firewall NOT installed ({Why}): sessions can connect to this host's services and local users can connect to session ports. Run the agent as root with iptables, or set Agent:Firewall=off to silence this.")]
    private partial void LogUnavailable(string why);

    [LoggerMessage(Level = LogLevel.Warning, Message = "IPv6 host firewall not installed ({Why}); the IPv4 one is.")]
    private partial void LogNoIpv6(string why);

    [LoggerMessage(Level = LogLevel.Information, Message = "Host firewall is off (Agent:Firewall=off).")]
    private partial void LogOff();
}
