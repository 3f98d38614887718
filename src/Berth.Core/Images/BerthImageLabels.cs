namespace Berth.Core.Images;

/// <summary>Labels every Berth-built image carries: the image builder writes them, the manager's image catalog reads them.</summary>
public static class BerthImageLabels
{
    /// <summary>Minimum CPU cores a session of this image needs, a decimal string such as "0.5".</summary>
    public const string MinCpu = "ai.berth.resource.min.cpu";

    /// <summary>Minimum memory in bytes, a decimal string such as "268435456".</summary>
    public const string MinMemory = "ai.berth.resource.min.mem";

    /// <summary>Preferred /dev/shm size in bytes.</summary>
    public const string PreferredShmem = "ai.berth.resource.preferred.shmem";

    /// <summary>Service ports the image offers, "name:protocol:port" joined with commas ("" when none).</summary>
    public const string ServicePorts = "ai.berth.service-ports";

    /// <summary>The Berth recipe the image was built from ("minimal", "python").</summary>
    public const string Recipe = "ai.berth.recipe";
}
