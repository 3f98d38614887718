using Berth.Core.Contracts;

namespace Berth.Client;

public sealed partial class BerthClient
{
    // ---- agents --------------------------------------------------------------------------------------

    /// <summary>Every agent the manager has heard from, ALIVE or LOST, with its capacity and what live sessions occupy (admins only).</summary>
    public Task<IReadOnlyList<AgentDto>> ListAgentsAsync(CancellationToken ct = default) =>
        SendJsonAsync<IReadOnlyList<AgentDto>>(HttpMethod.Get, "api/admin/agents", null, ct);
}
