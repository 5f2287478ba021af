namespace Kernelsmith.Contracts.Agents;

/// <summary>A node agent as the cluster knows it.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.AgentInfo")]
public sealed record AgentInfo(
    string AgentId,
    string Pool,
    string Address,
    IReadOnlyList<string> Technologies,
    int Cores,
    string CpuModel,
    long MemoryBytes,
    IReadOnlyDictionary<string, string> Tools,
    DateTimeOffset LastHeartbeat)
{
    public string Hardware => $"{CpuModel}, {Cores} cores, {MemoryBytes / (1L << 30)} GiB";
    public string Toolchain => string.Join("; ", Tools.OrderBy(t => t.Key).Select(t => $"{t.Key} {t.Value}"));
}

/// <summary>The cluster's list of live agents.</summary>
public interface IAgentRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds or refreshes an agent.</summary>
    Task RegisterAsync(AgentInfo agent);

    /// <summary>Marks an agent alive; false when the registry does not know it.</summary>
    Task<bool> HeartbeatAsync(string agentId);

    /// <summary>
    /// Drops an agent a dispatcher could not reach, so no other job is sent there; a live agent learns of it at its
    /// next heartbeat and registers again.
    /// </summary>
    Task ReportUnreachableAsync(string agentId);

    /// <summary>Returns the agents that heartbeated recently.</summary>
    Task<IReadOnlyList<AgentInfo>> GetLiveAgentsAsync();
}
