using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Grains.Scheduling;

/// <summary>
/// What an experiment needs of an agent: its technology, in the pools the sweep pinned it to, and room for its largest
/// thread or rank count (an agent's process limit, <see cref="AgentInfo.MaxProcesses"/>; 0 means not reported).
/// </summary>
public sealed record AgentNeeds(string Technology, IReadOnlyList<string>? Pools, int Processes)
{
    public static AgentNeeds Of(SweepSpec spec, string technology) => Of(spec.Run, spec.Pools, technology);

    public static AgentNeeds Of(RunSettings run, IReadOnlyDictionary<string, IReadOnlyList<string>>? pools, string technology) =>
        new(technology, pools?.GetValueOrDefault(technology), ProcessesNeeded(run, technology));

    /// <summary>The most processes and threads one of the technology's runs starts: its threads, or for MPI its ranks too.</summary>
    public static int ProcessesNeeded(RunSettings run, string technology) => technology switch
    {
        Technologies.OpenMp => run.Threads.DefaultIfEmpty(1).Max(),
        Technologies.Mpi => Math.Max(run.Threads.DefaultIfEmpty(1).Max(), run.Ranks.DefaultIfEmpty(1).Max()),
        _ => 1,
    };

    /// <summary>The agent offers the technology in one of the pools.</summary>
    public bool Offers(AgentInfo agent) => agent.Technologies.Contains(Technology) && (Pools is not { Count: > 0 } || Pools.Contains(agent.Pool));

    /// <summary>The agent lets a job start as many processes and threads as the experiment's runs need.</summary>
    public bool HasRoom(AgentInfo agent) => agent.MaxProcesses <= 0 || agent.MaxProcesses >= Processes;
}
