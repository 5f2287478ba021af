using Kernelsmith.Contracts.Agents;

namespace Kernelsmith.Grains.Scheduling;

/// <summary>
/// The cluster's list of agents. Agents re-register when the registry does not know them, so the list
/// is soft state and needs no persistence.
/// </summary>
public sealed class AgentRegistryGrain(TimeProvider clock) : Grain, IAgentRegistryGrain
{
    private static readonly TimeSpan s_liveness = TimeSpan.FromSeconds(15);
    private readonly Dictionary<string, AgentInfo> _agents = new(StringComparer.Ordinal);

    public Task RegisterAsync(AgentInfo agent)
    {
        _agents[agent.AgentId] = agent with { LastHeartbeat = clock.GetUtcNow() };
        return Task.CompletedTask;
    }

    public Task<bool> HeartbeatAsync(string agentId, int busyCores, int queuedJobs)
    {
        if (!_agents.TryGetValue(agentId, out var agent))
        {
            return Task.FromResult(false);
        }

        _agents[agentId] = agent with { LastHeartbeat = clock.GetUtcNow(), BusyCores = busyCores, QueuedJobs = queuedJobs };
        return Task.FromResult(true);
    }

    public Task ReportUnreachableAsync(string agentId)
    {
        _agents.Remove(agentId);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AgentInfo>> GetLiveAgentsAsync()
    {
        var now = clock.GetUtcNow();
        IReadOnlyList<AgentInfo> live = _agents.Values.Where(a => now - a.LastHeartbeat < s_liveness).ToList();
        return Task.FromResult(live);
    }
}
