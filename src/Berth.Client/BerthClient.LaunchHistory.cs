using Berth.Core.Contracts;

namespace Berth.Client;

public sealed partial class BerthClient
{
    // ---- launch history ------------------------------------------------------------------------------

    /// <summary>The caller's recent launches: pinned ones first, then the five most recent.</summary>
    public Task<IReadOnlyList<LaunchHistoryEntryDto>> ListLaunchHistoryAsync(CancellationToken ct = default) =>
        SendJsonAsync<IReadOnlyList<LaunchHistoryEntryDto>>(HttpMethod.Get, "api/sessions/history", null, ct);

    /// <summary>Gives an entry a title (empty string: clears it).</summary>
    public Task<LaunchHistoryEntryDto> RenameLaunchHistoryAsync(Guid id, string title, CancellationToken ct = default) =>
        UpdateLaunchHistoryAsync(id, new UpdateLaunchHistoryRequest(Title: title), ct);

    /// <summary>Pins an entry (kept beyond the five most recent) or unpins it.</summary>
    public Task<LaunchHistoryEntryDto> PinLaunchHistoryAsync(Guid id, bool pinned, CancellationToken ct = default) =>
        UpdateLaunchHistoryAsync(id, new UpdateLaunchHistoryRequest(Pinned: pinned), ct);

    public Task<LaunchHistoryEntryDto> UpdateLaunchHistoryAsync(Guid id, UpdateLaunchHistoryRequest request, CancellationToken ct = default) =>
        SendJsonAsync<LaunchHistoryEntryDto>(HttpMethod.Patch, "api/sessions/history/" + id, request, ct);

    public Task DeleteLaunchHistoryAsync(Guid id, CancellationToken ct = default) =>
        SendAsync(HttpMethod.Delete, "api/sessions/history/" + id, null, ct);
}
