using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Experiments;

namespace Kernelsmith.Silo.Services;

/// <summary>
/// What the sweep API and the dashboard read about sweeps, experiments and agents, in one place: where records or
/// attempts are kept may change, and then only this changes.
/// </summary>
public sealed class SweepReads(IGrainFactory grains, AttemptStore attempts)
{
    /// <summary>How many experiments, how many recorded, active, by verdict; a sweep never submitted has a total of 0.</summary>
    public Task<SweepProgress> ProgressAsync(string sweepId) => grains.GetGrain<ISweepGrain>(sweepId).GetProgressAsync();

    /// <summary>Final records in recording order from <paramref name="from"/>, at most <paramref name="max"/>.</summary>
    public Task<IReadOnlyList<ExperimentRecord>> RecordsAsync(string sweepId, int from, int max) =>
        grains.GetGrain<ISweepGrain>(sweepId).GetRecordsAsync(from, max);

    /// <summary>Every round of a recorded experiment: prompt, answer, files, logs, verdict, feedback.</summary>
    public Task<IReadOnlyList<Attempt>> AttemptsAsync(string experimentId) => attempts.ReadAsync(experimentId);

    /// <summary>The user who submitted the sweep, or null before submitters were recorded.</summary>
    public Task<string?> OwnerAsync(string sweepId) => grains.GetGrain<ISweepOwnerGrain>(sweepId).GetAsync();

    /// <summary>The agents that sent a heartbeat lately.</summary>
    public Task<IReadOnlyList<AgentInfo>> AgentsAsync() => grains.GetGrain<IAgentRegistryGrain>(0).GetLiveAgentsAsync();

    /// <summary>Every submitted sweep, oldest first.</summary>
    public Task<IReadOnlyList<SweepEntry>> SweepsAsync() => grains.GetGrain<ISweepIndexGrain>(0).ListAsync();

    /// <summary>Lists a newly submitted sweep (a resubmission keeps its first entry).</summary>
    public Task ListAsync(SweepEntry entry) => grains.GetGrain<ISweepIndexGrain>(0).AddAsync(entry);
}
