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
            .ValidateOnStart();
        services.TryAddSingleton(_ => DockerEndpoint.CreateClient());
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<AgentOptions>>().Value);
        services.AddSingleton<ScratchDirectories>();
        services.AddSingleton<Gpus.GpuInventory>();
        services.AddSingleton<DockerKernelRuntime>();
        services.AddSingleton<ReconcileSignal>();
        services.AddSingleton<AgentControl>();
        services.AddSingleton<IAgentControl>(sp => sp.GetRequiredService<AgentControl>());
        services.AddHostedService<KernelReconciler>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHostedService<Stats.ContainerStatsSampler>();
        return builder;
    }
}
