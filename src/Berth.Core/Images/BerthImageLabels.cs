using System.Globalization;
using Berth.Core.Contracts;

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

    private const string ServicePrefix = "ai.berth.service.", CommandSuffix = ".command";

    /// <summary>
    /// The label carrying the shell command line that starts service <paramref name="service"/> in the container
    /// (<c>ai.berth.service.jupyter.command</c>), run detached as the session user when the app is first opened.
    /// A service without one is expected to be started by the user (or the image's own command).
    /// </summary>
    public static string ServiceCommand(string service) => ServicePrefix + service + CommandSuffix;

    /// <summary>
    /// <c>name:protocol:port</c> entries separated by commas, as Backend.AI images declare them. Malformed entries
    /// (wrong number of parts, a port that is not 1–65535, an empty name) and repeated names are skipped.
    /// </summary>
    public static List<ServicePortDto> ParseServicePorts(string? label)
    {
        var ports = new List<ServicePortDto>();
        foreach (var entry in (label ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var p = entry.Split(':', StringSplitOptions.TrimEntries);
            if (p.Length != 3 || p[0].Length == 0 || p[1].Length == 0) continue;
            if (!int.TryParse(p[2], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535) continue;
            if (ports.Any(x => x.Name == p[0])) continue;
            ports.Add(new ServicePortDto(p[0], p[1], port));
        }
        return ports;
    }

    /// <summary>A name a service can be started under (it names its log file): 1–64 of letters, digits, '-', '_'.</summary>
    public static bool IsServiceName(string? name) =>
        name is { Length: > 0 and <= 64 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');

    /// <summary>The start command of <paramref name="service"/>, or null when the labels carry none (or a blank one).</summary>
    public static string? ServiceCommandOf(IReadOnlyDictionary<string, string>? labels, string service) =>
        labels is not null && labels.TryGetValue(ServiceCommand(service), out var command) && !string.IsNullOrWhiteSpace(command)
            ? command.Trim()
            : null;
}
