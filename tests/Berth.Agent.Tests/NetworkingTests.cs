using Berth.Agent;
using Berth.Agent.Networking;
using Berth.Agent.Runtime;
using Berth.Core.Agents;

namespace Berth.Agent.Tests;

public class NetworkingTests
{
    private static Ipv4Subnet S(string text) => Ipv4Subnet.TryParse(text, out var s) ? s : throw new ArgumentException(text);

    [Theory]
    [InlineData("10.208.0.0/12", "10.208.0.0/12")]
    [InlineData("10.208.3.7/12", "10.208.0.0/12")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    [InlineData("192.168.1.1/32", "192.168.1.1/32")]
    public void Parses_and_normalises_prefixes(string text, string expected) => Assert.Equal(expected, S(text).ToString());

    [Theory]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0.0/33")]
    [InlineData("fe80::/64")]
    [InlineData("nonsense/8")]
    [InlineData("")]
    public void Refuses_what_is_not_an_IPv4_prefix(string text) => Assert.False(Ipv4Subnet.TryParse(text, out _));

    [Fact]
    public void Overlap_is_containment_either_way()
    {
        Assert.True(S("10.208.0.0/12").Overlaps(S("10.210.1.0/25")));
        Assert.True(S("10.210.1.0/25").Overlaps(S("10.208.0.0/12")));
        Assert.False(S("10.208.0.0/25").Overlaps(S("10.208.0.128/25")));
        Assert.False(S("172.17.0.0/16").Overlaps(S("10.208.0.0/12")));
    }

    [Fact]
    public void First_free_block_skips_taken_ones_and_larger_overlaps()
    {
        var pool = S("10.208.0.0/16");
        Assert.Equal("10.208.0.0/25", Ipv4Subnet.FirstFree(pool, 25, [])!.Value.ToString());
        Assert.Equal("10.208.0.128/25", Ipv4Subnet.FirstFree(pool, 25, [S("10.208.0.0/25")])!.Value.ToString());
        // A host route covering the first /20 of the pool: the next block after it.
        Assert.Equal("10.208.16.0/25", Ipv4Subnet.FirstFree(pool, 25, [S("10.208.0.0/20")])!.Value.ToString());
        // A small network of someone else's inside a block makes the block taken.
        Assert.Equal("10.208.0.128/25", Ipv4Subnet.FirstFree(pool, 25, [S("10.208.0.64/28")])!.Value.ToString());
    }

    [Fact]
    public void The_search_starts_at_the_given_block_and_wraps_round()
    {
        var pool = S("10.208.0.0/24");
        Assert.Equal("10.208.0.128/25", Ipv4Subnet.FirstFree(pool, 25, [], startBlock: 1)!.Value.ToString());
        // Start past the end: taken modulo the number of blocks.
        Assert.Equal("10.208.0.0/25", Ipv4Subnet.FirstFree(pool, 25, [], startBlock: 2)!.Value.ToString());
        // The later blocks are taken: the search wraps to the free one before the start.
        Assert.Equal("10.208.0.0/25", Ipv4Subnet.FirstFree(pool, 25, [S("10.208.0.128/25")], startBlock: 1)!.Value.ToString());
    }

    [Fact]
    public void A_full_pool_has_no_block()
    {
        Assert.Null(Ipv4Subnet.FirstFree(S("10.208.0.0/24"), 25, [S("10.208.0.0/25"), S("10.208.0.128/25")]));
        Assert.Null(Ipv4Subnet.FirstFree(S("10.208.0.0/24"), 25, [S("10.0.0.0/8")]));
        Assert.Null(Ipv4Subnet.FirstFree(S("10.208.0.0/24"), 23, []));
    }

    [Fact]
    public void Host_routes_are_read_from_proc_net_route_without_the_default_route()
    {
        string[] lines =
        [
            "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT",
            "eth0\t00000000\t010200C0\t0003\t0\t0\t0\t00000000\t0\t0\t0",
            "docker0\t000011AC\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0",
            "eth0\t000200C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
        ];
        Assert.Equal(["172.17.0.0/16", "192.0.2.0/24"], HostRoutes.Parse(lines).Select(r => r.ToString()));
    }

    [Fact]
    public void Session_networks_are_named_from_the_session_and_fit_an_interface_name()
    {
        var session = Guid.Parse("0123456789abcdef0123456789abcdef");
        Assert.Equal("berth-0123456789abcdef0123456789abcdef", SessionNetworks.NameFor(session));
        Assert.Equal("bth0123456789ab", SessionNetworks.BridgeNameFor(session));
        Assert.True(SessionNetworks.BridgeNameFor(session).Length <= 15);
    }

    [Fact]
    public void Every_container_joins_its_session_network_and_nothing_is_published()
    {
        var session = Guid.NewGuid();
        var spec = new KernelSpec(Guid.NewGuid(), session, "s", Guid.NewGuid(), "img", [], false, new Dictionary<string, string>(),
            1, 1L << 30, 64L << 20, 4096, [], KernelDesiredState.Running, false, PublishPorts: [8888, 8080], AppToken: "t0k");
        var p = ContainerSpecFactory.Build(spec, new AgentOptions { Id = "a" }, "/tmp/scratch", [], ["JUPYTER_TOKEN=image"]);
        Assert.Equal(SessionNetworks.NameFor(session), p.HostConfig!.NetworkMode);
        Assert.Equal([SessionNetworks.NameFor(session)], p.NetworkingConfig!.EndpointsConfig.Keys);
        Assert.True(p.HostConfig.PortBindings is null or { Count: 0 });
        Assert.False(p.HostConfig.PublishAllPorts);
        Assert.Equal(["8080/tcp", "8888/tcp"], p.ExposedPorts!.Keys.Order());
        Assert.Contains("JUPYTER_TOKEN=t0k", p.Env);
        Assert.Contains("BERTH_APP_TOKEN=t0k", p.Env);

        // A manager that names the network (a cluster's containers share it) is followed.
        var named = ContainerSpecFactory.Build(spec with { Network = "berth-shared" }, new AgentOptions { Id = "a" }, "/tmp/scratch", [], []);
        Assert.Equal("berth-shared", named.HostConfig!.NetworkMode);
    }

    [Fact]
    public void Firewall_allows_only_the_agent_user_out_and_nothing_in_with_blocks_last()
    {
        var rules = FirewallRules.For(0, ipv6: false);
        Assert.Contains(rules, r => r is { Chain: "INPUT", AtTop: true } && r.Spec.SequenceEqual(["-i", "bth+", "-j", "BERTH-INPUT"]));
        Assert.Contains(rules, r => r is { Chain: "OUTPUT", AtTop: true } && r.Spec.SequenceEqual(["-o", "bth+", "-j", "BERTH-OUTPUT"]));
        Assert.Contains(rules, r => r.Chain == "BERTH-OUTPUT" && r.Spec.SequenceEqual(["-m", "owner", "--uid-owner", "0", "-j", "RETURN"]));
        // The blocking rules are the only ones appended: whoever installs first, they stay below every RETURN.
        var appended = rules.Where(r => !r.AtTop).ToList();
        Assert.Equal(["BERTH-INPUT -j DROP", "BERTH-OUTPUT -j REJECT"], appended.Select(r => r.ToString()));
        Assert.All(rules.Where(r => r.AtTop && r.Chain.StartsWith("BERTH-", StringComparison.Ordinal)), r => Assert.Equal("RETURN", r.Spec[^1]));

        var v6 = FirewallRules.For(1001, ipv6: true);
        Assert.Contains(v6, r => r.Chain == "BERTH-OUTPUT" && r.Spec.SequenceEqual(["-p", "ipv6-icmp", "-j", "RETURN"]));
        Assert.Contains(v6, r => r.Chain == "BERTH-OUTPUT" && r.Spec.Contains("1001"));
    }
}
