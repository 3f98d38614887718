using Berth.Agent.Docker;
using Berth.Agent.Runtime;
using Berth.Core.Agents;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Berth.Agent;

public static class AgentHosting
{
    /// <summary>Registers this node's agent. The host must also register an <see cref="IAgentChannel"/> (in-process or remote).</summary>
    public static IHostApplicationBuilder AddBerthAgent(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<AgentOptions>().Bind(builder.Configuration.GetSection(AgentOptions.Section))
            .Validate(o => !string.IsNullOrWhiteSpace(o.ScratchRoot), "Agent:ScratchRoot is required.")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Id), "Agent:Id is required.")
            .Validate(o => o.Firewall is Networking.HostFirewall.On or Networking.HostFirewall.Off, "Agent:Firewall must be 'on' or 'off'.")
            .Validate(o => string.IsNullOrWhiteSpace(o.SessionSubnets) || Networking.Ipv4Subnet.TryParse(o.SessionSubnets, out _),
                "Agent:SessionSubnets must be an IPv4 prefix such as 10.208.0.0/12 (or empty for Docker's default pools).")
            .Validate(o => o.SessionSubnetPrefix is >= 16 and <= 25
                           && (!Networking.Ipv4Subnet.TryParse(o.SessionSubnets, out var pool) || o.SessionSubnetPrefix >= pool.PrefixLength),
                "Agent:SessionSubnetPrefix must be 16–25 (a /25 holds a 64-container cluster) and not shorter than Agent:SessionSubnets' prefix.")
            .ValidateOnStart();
        services.TryAddSingleton(_ => DockerEndpoint.CreateClient());
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AgentOptions>>().Value);
        services.AddSingleton<ScratchDirectories>();
        services.AddSingleton<Gpus.GpuInventory>();
        services.AddSingleton<Networking.SessionNetworks>();
        services.AddSingleton<DockerKernelRuntime>();
        services.AddSingleton<ReconcileSignal>();
        services.AddSingleton<AgentControl>();
        services.AddSingleton<IAgentControl>(sp => sp.GetRequiredService<AgentControl>());
        // Before the reconciler: no session container starts before the firewall is in place.
        services.AddSingleton<Networking.HostFirewall>();
        services.AddHostedService(sp => sp.GetRequiredService<Networking.HostFirewall>());
        services.AddHostedService<KernelReconciler>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<Stats.ContainerStatsSampler>();
        return builder;
    }
}
