using Berth.Core.Agents;
using Docker.DotNet.Models;

namespace Berth.Agent.Runtime;

/// <summary>Turns a kernel spec into Docker's create parameters: limits, an unprivileged user, no capabilities.</summary>
public static class ContainerSpecFactory
{
    public const string Home = "/home/work";
    public const string ExtraPath = "/home/work/.local/bin:/home/linuxbrew/.linuxbrew/bin";
    public const string AppTokenVariable = "BERTH_APP_TOKEN", JupyterTokenVariable = "JUPYTER_TOKEN";
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    // Interactive sessions have no command of their own; something must keep the container alive (docker-init reaps and forwards signals).
    public static readonly IReadOnlyList<string> KeepAlive = ["sleep", "2147483647"];

    public static CreateContainerParameters Build(KernelSpec spec, AgentOptions options, string scratchDir,
        IReadOnlyList<(string Source, KernelMount Mount)> mounts, IReadOnlyList<string> imageEnv, IReadOnlyList<string>? gpuUuids = null)
    {
        gpuUuids ??= [];
        var command = spec.Command.Count > 0 ? spec.Command.ToList() : KeepAlive.ToList();
        return new CreateContainerParameters
        {
            NetworkingConfig = Networking(spec),
            Name = $"berth-{spec.SessionName}-{spec.KernelId.ToString("N")[..8]}",
            Image = spec.ImageReference,
            Cmd = command,
            Env = Environment(spec, imageEnv),
            User = $"{options.ContainerUid}:{options.ContainerGid}",
            WorkingDir = Home,
            Hostname = spec.Hostname,
            // Not published on the host (nothing is): the list of the ports the app proxy may reach on the container's address.
            ExposedPorts = (spec.PublishPorts ?? []).Distinct().ToDictionary(PortKey, _ => new EmptyStruct()),
            Labels = new Dictionary<string, string>
            {
                [ContainerLabels.Agent] = options.Id,
                [ContainerLabels.KernelId] = spec.KernelId.ToString(),
                [ContainerLabels.SessionId] = spec.SessionId.ToString(),
                [ContainerLabels.SessionName] = spec.SessionName,
                [ContainerLabels.Owner] = spec.OwnerId.ToString(),
                [ContainerLabels.CudaDevices] = string.Join(',', gpuUuids),
            },
            HostConfig = new HostConfig
            {
                NanoCPUs = (long)Math.Round(spec.Cpu * 1e9),
                Memory = spec.MemoryBytes,
                MemorySwap = spec.MemoryBytes, // no swap: the limit is the limit
                ShmSize = spec.ShmemBytes,
                PidsLimit = spec.PidsLimit,
                Privileged = false,
                CapDrop = ["ALL"],
                SecurityOpt = ["no-new-privileges"],
                Init = true,
                // The session's own network: no other session's containers are on it (docs/apps.md#networks).
                NetworkMode = Berth.Agent.Networking.SessionNetworks.Of(spec),
                // Exactly the GPUs allocated to this kernel, through the NVIDIA container runtime hook.
                DeviceRequests = gpuUuids.Count == 0 ? [] :
                    [new DeviceRequest { Driver = "nvidia", DeviceIDs = gpuUuids.ToList(), Capabilities = [["gpu"]] }],
                Mounts = [
                    new Mount { Type = "bind", Source = scratchDir, Target = Home },
                    .. mounts.Select(m => new Mount { Type = "bind", Source = m.Source, Target = m.Mount.ContainerPath, ReadOnly = m.Mount.ReadOnly }),
                ],
            },
        };
    }

    public static string PortKey(int port) => port.ToString(System.Globalization.CultureInfo.InvariantCulture) + "/tcp";

    /// <summary>A cluster's containers find each other by hostname on their session's network.</summary>
    public static NetworkingConfig Networking(KernelSpec spec) => new()
    {
        EndpointsConfig = new Dictionary<string, EndpointSettings> { [Berth.Agent.Networking.SessionNetworks.Of(spec)] = new() { Aliases = [spec.Hostname] } },
    };

    /// <summary>The image's variables, then Berth's, then the user's; ~/.local/bin and linuxbrew's bin go first on PATH.</summary>
    public static List<string> Environment(KernelSpec spec, IReadOnlyList<string> imageEnv)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in imageEnv)
        {
            var eq = line.IndexOf('=');
            if (eq > 0) env[line[..eq]] = line[(eq + 1)..];
        }
        var basePath = env.TryGetValue("PATH", out var p) && p.Length > 0 ? p : DefaultPath;
        env["PATH"] = ExtraPath + ":" + basePath;
        env["HOME"] = Home;
        env["USER"] = "work";
        env["BERTH_SESSION_ID"] = spec.SessionId.ToString();
        env["BERTH_SESSION_NAME"] = spec.SessionName;
        env["BERTH_KERNEL_ID"] = spec.KernelId.ToString();
        foreach (var (key, value) in spec.Environment) env[key] = value;
        // After the user's: the session's web services must get the token the app proxy sends.
        if (spec.AppToken is { Length: > 0 } token)
        {
            env[AppTokenVariable] = token;
            env[JupyterTokenVariable] = token;
        }
        return env.Select(kv => $"{kv.Key}={kv.Value}").ToList();
    }
}
