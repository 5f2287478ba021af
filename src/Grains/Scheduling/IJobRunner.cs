using Kernelsmith.Contracts.Agents;

namespace Kernelsmith.Grains.Scheduling;

/// <summary>
/// The experiment's port to the agents: choose one, build there, run there, measure there, in domain terms only. <see cref="JobDispatcher"/> is the gRPC
/// implementation; tests give the grains a fake. An agent that cannot be reached or loses a job throws
/// <see cref="AgentUnavailableException"/>.
/// </summary>
public interface IJobRunner
{
    /// <summary>
    /// An agent that can run the technology, in one of <paramref name="pools"/> when the sweep pinned the technology
    /// to some, preferring <paramref name="preferred"/> while it is alive.
    /// </summary>
    Task<AgentInfo> SelectAgentAsync(string technology, IReadOnlyList<string>? pools, string? preferred, CancellationToken cancellationToken);

    Task<JobReport> BuildAsync(AgentInfo agent, BuildRequest job, CancellationToken cancellationToken);

    Task<JobReport> RunAsync(AgentInfo agent, RunRequest job, CancellationToken cancellationToken);

    /// <summary>
    /// Times the job's arms against its first (the baseline) in alternation on the same held cores; the result carries
    /// the <see cref="MeasureReport"/>, or the failed run's status and output with the arm that failed.
    /// </summary>
    Task<JobReport> MeasureAsync(AgentInfo agent, MeasureRequest job, CancellationToken cancellationToken);
}
