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
    /// <summary>The machine in one line (sockets, cores, caches, NUMA, memory, GPUs), as provenance and prompts show it.</summary>
    [Id(100)]
    public string Description { get; init; } = "";

    [Id(101)]
    public IReadOnlyList<GpuInfo> Gpus { get; init; } = [];

    /// <summary>Sanitizers that build and link here: thread, memory, compute-sanitizer.</summary>
    [Id(102)]
    public IReadOnlyList<string> Sanitizers { get; init; } = [];

    /// <summary>Load at the last heartbeat: cores held by jobs, and jobs waiting for cores.</summary>
    [Id(103)]
    public int BusyCores { get; init; }

    [Id(104)]
    public int QueuedJobs { get; init; }

    /// <summary>Toolchains installed but refused because a test program did not build or run, each with its problem.</summary>
    [Id(105)]
    public IReadOnlyList<string> Unavailable { get; init; } = [];

    /// <summary>The node's last calibration on this hardware (<see cref="Experiments.CalibrationFile.Summary"/>), empty when never calibrated.</summary>
    [Id(106)]
    public string Calibration { get; init; } = "";

    /// <summary>The most processes and threads one job may have at once here (0: not reported, as by agents before it was).</summary>
    [Id(107)]
    public int MaxProcesses { get; init; }

    public string Hardware => Description.Length > 0 ? Description : $"{CpuModel}, {Cores} cores, {MemoryBytes / (1L << 30)} GiB";
    public string Toolchain => string.Join("; ", Tools.OrderBy(t => t.Key).Select(t => $"{t.Key} {t.Value}"));
}

/// <summary>One GPU of an agent.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.GpuInfo")]
public sealed record GpuInfo(int Index, string Name, long MemoryBytes, string ComputeCapability);

/// <summary>The cluster's list of live agents.</summary>
public interface IAgentRegistryGrain : IGrainWithIntegerKey
{
    /// <summary>Adds or refreshes an agent.</summary>
    Task RegisterAsync(AgentInfo agent);

    /// <summary>Marks an agent alive and notes its load; false when the registry does not know it.</summary>
    Task<bool> HeartbeatAsync(string agentId, int busyCores, int queuedJobs);

    /// <summary>
    /// Drops an agent a dispatcher could not reach, so no other job is sent there; a live agent learns of it at its
    /// next heartbeat and registers again.
    /// </summary>
    Task ReportUnreachableAsync(string agentId);

    /// <summary>Returns the agents that heartbeated recently.</summary>
    Task<IReadOnlyList<AgentInfo>> GetLiveAgentsAsync();

    /// <summary>
    /// Tells <paramref name="directory"/> of every change from now on, for a minute unless subscribed again, and returns
    /// the live agents now.
    /// </summary>
    Task<IReadOnlyList<AgentInfo>> SubscribeAsync(IAgentDirectoryObserver directory);
}
