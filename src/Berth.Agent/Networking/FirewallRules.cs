using System.Globalization;

namespace Berth.Agent.Networking;

/// <summary>One rule the firewall must hold: checked with <c>-C</c>, added with <c>-I chain 1</c> (top) or <c>-A</c> (bottom).</summary>
public sealed record FirewallRule(string Chain, bool AtTop, IReadOnlyList<string> Spec)
{
    public override string ToString() => $"{Chain} {string.Join(' ', Spec)}";
}

/// <summary>
/// The host firewall Berth's agents keep (iptables and ip6tables, filter table), as data so that it can be read and
/// tested. Two chains of Berth's own, jumped to for session bridges (<c>bth+</c>) only:
/// <list type="bullet">
/// <item><c>BERTH-INPUT</c> (from INPUT, <c>-i bth+</c>): a session cannot open a connection to the host itself, on any of
/// the host's addresses (replies to connections the host opened pass).</item>
/// <item><c>BERTH-OUTPUT</c> (from OUTPUT, <c>-o bth+</c>): of the host's own processes, only the agents' users (the app
/// proxy runs as the in-process agent) may open connections into session networks; everyone else is rejected.</item>
/// </list>
/// Every rule is added only when missing and nothing is ever deleted, so agents of several installations on one host
/// each add their own uid and none removes another's. Allowing rules are inserted at the top and the final DROP/REJECT
/// appended, so the order holds whoever adds what first.
/// </summary>
public static class FirewallRules
{
    public const string InputChain = "BERTH-INPUT";
    public const string OutputChain = "BERTH-OUTPUT";
    public const string Interfaces = SessionNetworks.BridgePrefix + "+";

    private static readonly string[] Established = ["-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED", "-j", "RETURN"];

    /// <param name="uid">The user the agent (and, in <c>berth server</c>, the app proxy) runs as.</param>
    /// <param name="ipv6">For ip6tables: neighbour discovery (ICMPv6) must pass, or the bridge's IPv6 breaks.</param>
    public static IReadOnlyList<FirewallRule> For(uint uid, bool ipv6)
    {
        var rules = new List<FirewallRule>
        {
            new("INPUT", true, ["-i", Interfaces, "-j", InputChain]),
            new("OUTPUT", true, ["-o", Interfaces, "-j", OutputChain]),
            new(InputChain, true, Established),
            new(InputChain, false, ["-j", "DROP"]),
            new(OutputChain, true, Established),
            new(OutputChain, true, ["-m", "owner", "--uid-owner", uid.ToString(CultureInfo.InvariantCulture), "-j", "RETURN"]),
            new(OutputChain, false, ["-j", "REJECT"]),
        };
        if (ipv6)
        {
            rules.Insert(2, new(InputChain, true, ["-p", "ipv6-icmp", "-j", "RETURN"]));
            rules.Insert(5, new(OutputChain, true, ["-p", "ipv6-icmp", "-j", "RETURN"]));
        }
        return rules;
    }
}
