using Kernelsmith.Contracts.Agents;
using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace Kernelsmith.Grains.Scheduling;

/// <summary>
/// The cluster's list of agents. Agents re-register when the registry does not know them, so the list
/// is soft state and needs no persistence. Each silo's <see cref="AgentDirectory"/> subscribes and is told of every
/// change, so dispatching a job asks nothing of this grain.
/// </summary>
public sealed class AgentRegistryGrain(TimeProvider clock, ILogger<AgentRegistryGrain> logger) : Grain, IAgentRegistryGrain
{
    /// <summary>An agent whose last heartbeat is older than this is not live.</summary>
    public static readonly TimeSpan Liveness = TimeSpan.FromSeconds(15);
    private readonly Dictionary<string, AgentInfo> _agents = new(StringComparer.Ordinal);
    private readonly ObserverManager<IAgentDirectoryObserver> _directories = new(AgentDirectory.SubscriptionLifetime, logger);

    public Task RegisterAsync(AgentInfo agent)
    {
        _agents[agent.AgentId] = agent with { LastHeartbeat = clock.GetUtcNow() };
        Changed();
        return Task.CompletedTask;
    }

    public Task<bool> HeartbeatAsync(string agentId, int busyCores, int queuedJobs)
    {
        if (!_agents.TryGetValue(agentId, out var agent))
        {
            return Task.FromResult(false);
        }

        _agents[agentId] = agent with { LastHeartbeat = clock.GetUtcNow(), BusyCores = busyCores, QueuedJobs = queuedJobs };
        Changed();
        return Task.FromResult(true);
    }

    public Task ReportUnreachableAsync(string agentId)
    {
        if (_agents.Remove(agentId))
        {
            Changed();
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AgentInfo>> GetLiveAgentsAsync() => Task.FromResult(Live());

    public Task<IReadOnlyList<AgentInfo>> SubscribeAsync(IAgentDirectoryObserver directory)
    {
        _directories.Subscribe(directory, directory);
        return Task.FromResult(Live());
    }

    private IReadOnlyList<AgentInfo> Live()
    {
        var now = clock.GetUtcNow();
        return _agents.Values.Where(a => now - a.LastHeartbeat < Liveness).ToList();
    }

    /// <summary>Tells every subscribed directory the live agents now (one-way: no directory is waited for).</summary>
    private void Changed()
    {
        var live = Live();
        _directories.Notify(directory => directory.AgentsChanged(live));
    }
}
