using System.Globalization;
using Berth.Core.Problems;

namespace Berth.Core.Sessions;

/// <summary>
/// Ports a user asks to have opened ("preopened") in a session so that a server they start there later
/// can be reached through the app proxy. Each becomes an app named <c>port-N</c>.
/// </summary>
public static class PreopenPortRules
{
    public const int MinPort = 1024;
    public const int MaxPort = 65535;
    public const int MaxPorts = 10;

    /// <summary>Ports Berth keeps for its own in-container services (as Backend.AI keeps 2000–2003 for its kernel runner).</summary>
    public const int ReservedFirst = 2000, ReservedLast = 2003;

    public static bool IsReserved(int port) => port is >= ReservedFirst and <= ReservedLast;

    public static string AppName(int port) => "port-" + port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Null when the list is acceptable; otherwise the first problem, in the list's order.</summary>
    /// <param name="servicePorts">The container ports the image already declares as services.</param>
    public static Problem? Check(IReadOnlyList<int>? ports, IReadOnlyCollection<int> servicePorts)
    {
        if (ports is null || ports.Count == 0) return null;
        if (ports.Count > MaxPorts)
            return Problem.Invalid("preopenPorts", "preopen-too-many", $"A session may preopen at most {MaxPorts} ports (got {ports.Count}).");
        var seen = new HashSet<int>();
        for (var i = 0; i < ports.Count; i++)
        {
            var port = ports[i];
            var field = $"preopenPorts[{i}]";
            if (port is < MinPort or > MaxPort)
                return Problem.Invalid(field, "preopen-port-out-of-range", $"Preopen port {port} is outside {MinPort}–{MaxPort}.");
            if (IsReserved(port))
                return Problem.Invalid(field, "preopen-port-reserved", $"Port {port} is reserved for Berth's own use ({ReservedFirst}–{ReservedLast}); pick another.");
            if (servicePorts.Contains(port))
                return Problem.Invalid(field, "preopen-port-taken", $"Port {port} is already one of the image's service ports; it is published without --preopen.");
            if (!seen.Add(port))
                return Problem.Invalid(field, "preopen-duplicate", $"Port {port} is listed more than once.");
        }
        return null;
    }
}
