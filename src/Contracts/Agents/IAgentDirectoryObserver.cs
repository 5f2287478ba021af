namespace Kernelsmith.Contracts.Agents;

/// <summary>A silo's copy of the agent list, told by the registry whenever an agent joins, heartbeats or is dropped.</summary>
public interface IAgentDirectoryObserver : IGrainObserver
{
    /// <summary>The live agents now, as the registry knows them.</summary>
    void AgentsChanged(IReadOnlyList<AgentInfo> live);
}
