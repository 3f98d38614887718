using Berth.Core.Contracts;

namespace Berth.Client;

public sealed partial class BerthClient
{
    public Task<IReadOnlyList<ResourceGroupDto>> ListResourceGroupsAsync(CancellationToken ct = default) =>
        SendJsonAsync<IReadOnlyList<ResourceGroupDto>>(HttpMethod.Get, "api/resource-groups", null, ct);

    public Task<ResourceGroupDto> CreateResourceGroupAsync(SaveResourceGroupRequest request, CancellationToken ct = default) =>
        SendJsonAsync<ResourceGroupDto>(HttpMethod.Post, "api/admin/resource-groups", request, ct);

    public Task<ResourceGroupDto> UpdateResourceGroupAsync(string name, SaveResourceGroupRequest request, CancellationToken ct = default) =>
        SendJsonAsync<ResourceGroupDto>(HttpMethod.Post, $"api/admin/resource-groups/{Esc(name)}", request, ct);

    public Task<ResourceGroupDto> GrantResourceGroupAsync(string name, ResourceGroupGrantRequest request, CancellationToken ct = default) =>
        SendJsonAsync<ResourceGroupDto>(HttpMethod.Post, $"api/admin/resource-groups/{Esc(name)}/grants", request, ct);

    public Task<ResourcePresetDto> SaveResourcePresetAsync(SaveResourcePresetRequest request, CancellationToken ct = default) =>
        SendJsonAsync<ResourcePresetDto>(HttpMethod.Post, "api/admin/presets", request, ct);

    public Task<IReadOnlyList<ResourcePresetDto>> ListResourcePresetsAsync(string? group = null, CancellationToken ct = default) =>
        SendJsonAsync<IReadOnlyList<ResourcePresetDto>>(HttpMethod.Get, "api/resource/presets" + (group is null ? "" : $"?group={Esc(group)}"), null, ct);

    public Task<PresetCheckDto> CheckPresetsAsync(string? group = null, CancellationToken ct = default) =>
        SendJsonAsync<PresetCheckDto>(HttpMethod.Get, "api/resource/check-presets" + (group is null ? "" : $"?group={Esc(group)}"), null, ct);

    /// <summary>What remains in <paramref name="group"/> for the caller (or, for admins, for <paramref name="ownerEmail"/>) and on its agents.</summary>
    public Task<RemainingResourcesDto> GetRemainingResourcesAsync(string? group = null, string? ownerEmail = null, CancellationToken ct = default)
    {
        var query = new List<string>();
        if (group is not null) query.Add("group=" + Esc(group));
        if (ownerEmail is not null) query.Add("owner=" + Esc(ownerEmail));
        return SendJsonAsync<RemainingResourcesDto>(HttpMethod.Get, "api/resource/remaining" + (query.Count == 0 ? "" : "?" + string.Join('&', query)), null, ct);
    }

    public Task<ResourcePolicyDto> SaveResourcePolicyAsync(ResourcePolicyDto policy, CancellationToken ct = default) =>
        SendJsonAsync<ResourcePolicyDto>(HttpMethod.Post, "api/admin/policies", policy, ct);

    public Task<IReadOnlyList<ResourcePolicyDto>> ListResourcePoliciesAsync(CancellationToken ct = default) =>
        SendJsonAsync<IReadOnlyList<ResourcePolicyDto>>(HttpMethod.Get, "api/admin/policies", null, ct);

    public Task AssignResourcePolicyAsync(string email, string? policy, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Post, $"api/admin/users/{Esc(email)}/policy", new AssignPolicyRequest(policy), ct);

    /// <summary>The caller's use against their resource policy and the free capacity of the groups they may use.</summary>
    public Task<MyUsageDto> GetMyUsageAsync(CancellationToken ct = default) =>
        SendJsonAsync<MyUsageDto>(HttpMethod.Get, "api/me/usage", null, ct);
}
