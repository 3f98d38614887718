using System.Text.Json;
using Berth.Core.Contracts;
using Berth.Core.Images;
using Berth.Core.Sessions;

namespace Berth.Manager.Sessions;

/// <summary>A session's apps, as kept in <c>SessionEntity.AppsJson</c>: the image's service ports, then the preopen ports.</summary>
public static class SessionApps
{
    public const string ServiceKind = "service", PreopenKind = "preopen", TerminalKind = "terminal";

    /// <summary>
    /// The web terminal every session has, served by the manager itself (<see cref="Terminals.TerminalAppHandler"/>):
    /// it has no container port and is not kept in <c>AppsJson</c>.
    /// </summary>
    public static readonly AppDto Terminal = new("terminal", "http", 0, TerminalKind);

    /// <param name="imageLabels">The image's labels, for the services' start commands (<see cref="BerthImageLabels.ServiceCommand"/>).</param>
    public static string Serialize(IReadOnlyList<ServicePortDto> servicePorts, IReadOnlyList<int>? preopen, IReadOnlyDictionary<string, string>? imageLabels = null) =>
        JsonSerializer.Serialize(servicePorts.Select(p => new AppDto(p.Name, p.Protocol, p.ContainerPort, ServiceKind, BerthImageLabels.ServiceCommandOf(imageLabels, p.Name)))
            .Concat((preopen ?? []).Select(p => new AppDto(PreopenPortRules.AppName(p), "http", p, PreopenKind)))
            .ToList());

    /// <summary>The apps kept for the session: the ports its main container publishes.</summary>
    public static IReadOnlyList<AppDto> Read(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<AppDto>>(json) ?? [];

    /// <summary>What users see and open: the kept apps, then the built-in terminal (unless the image named an app "terminal").</summary>
    public static IReadOnlyList<AppDto> ReadWithBuiltIns(string? json)
    {
        var kept = Read(json);
        return kept.Any(a => a.Name == Terminal.Name) ? kept : [.. kept, Terminal];
    }
}
