using System.Globalization;
using Berth.Core.Problems;
using Berth.Core.Sessions;

namespace Berth.Core.Apps;

/// <summary>
/// What an open-app request (<c>OpenAppRequest</c>) may ask for, checked the same way by the manager and by the web
/// console's app launcher, so the form never offers what the API then refuses.
/// </summary>
public static class AppOpenRules
{
    /// <summary>Null when the preferred port may be asked for (or none is); a port outside 1024–65535 is refused.</summary>
    /// <remarks>Whether it is in the manager's app port pool and free is known only there: it then picks another and says so in its note.</remarks>
    public static Problem? CheckPreferredPort(int? port) =>
        port is { } p && p is < PreopenPortRules.MinPort or > PreopenPortRules.MaxPort
            ? Problem.Invalid("preferredPort", "preferred-port-out-of-range",
                string.Create(CultureInfo.InvariantCulture, $"A preferred port is within {PreopenPortRules.MinPort}–{PreopenPortRules.MaxPort}."))
            : null;
}
