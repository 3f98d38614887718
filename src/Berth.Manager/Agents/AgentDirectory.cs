using Berth.Core.Agents;

namespace Berth.Manager.Agents;

/// <summary>The agents this manager can talk to; in `berth server` that is the one in-process agent.</summary>
public sealed class AgentDirectory(IEnumerable<IAgentControl> agents) : IAgentDirectory
{
    private readonly IReadOnlyList<IAgentControl> _agents = agents.ToList();

    public IReadOnlyList<IAgentControl> All => _agents;

    public IAgentControl? Find(string agentId) => _agents.FirstOrDefault(a => a.AgentId == agentId);
}
