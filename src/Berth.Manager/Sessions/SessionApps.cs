using System.Text.Json;
using Berth.Core.Contracts;
using Berth.Core.Images;
using Berth.Core.Sessions;

namespace Berth.Manager.Sessions;

/// <summary>A session's apps, as kept in <c>SessionEntity.AppsJson</c>: the image's service ports, then the preopen ports.</summary>
public static class SessionApps
{
    public const string ServiceKind = "service", PreopenKind = "preopen";

    /// <param name="imageLabels">The image's labels, for the services' start commands (<see cref="BerthImageLabels.ServiceCommand"/>).</param>
    public static string Serialize(IReadOnlyList<ServicePortDto> servicePorts, IReadOnlyList<int>? preopen, IReadOnlyDictionary<string, string>? imageLabels = null) =>
        JsonSerializer.Serialize(servicePorts.Select(p => new AppDto(p.Name, p.Protocol, p.ContainerPort, ServiceKind, BerthImageLabels.ServiceCommandOf(imageLabels, p.Name)))
            .Concat((preopen ?? []).Select(p => new AppDto(PreopenPortRules.AppName(p), "http", p, PreopenKind)))
            .ToList());

    public static IReadOnlyList<AppDto> Read(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<AppDto>>(json) ?? [];
}
