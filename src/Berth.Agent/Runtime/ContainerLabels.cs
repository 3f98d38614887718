namespace Berth.Agent.Runtime;

/// <summary>Labels on every container Berth creates: how an agent finds its own, and only its own, containers.</summary>
public static class ContainerLabels
{
    public const string Agent = "ai.berth.agent";
    public const string KernelId = "ai.berth.kernel-id";
    public const string SessionId = "ai.berth.session-id";
    public const string SessionName = "ai.berth.session-name";
    public const string Owner = "ai.berth.owner";
    /// <summary>UUIDs of the GPUs a container was given, comma-separated: how the agent knows which are taken.</summary>
    public const string CudaDevices = "ai.berth.cuda-devices";
}
