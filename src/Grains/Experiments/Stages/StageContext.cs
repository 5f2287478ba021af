using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Scheduling;
using Kernelsmith.Grains.Telemetry;

namespace Kernelsmith.Grains.Experiments.Stages;

/// <summary>
/// What one step of an experiment works with: the experiment as persisted, its kernel, and the ports to agents and
/// grains. Every job the step runs goes through here, so the job timeline keeps it even when the step fails.
/// </summary>
public sealed class StageContext(Experiment experiment, KernelDefinition kernel, IJobRunner jobs, IGrainFactory grains, Func<bool> withinBudget)
{
    private readonly List<JobSpan> _jobs = [];

    public Experiment Experiment { get; } = experiment;

    public ExperimentSpec Spec => Experiment.Spec;

    public ExperimentStage Stage => Experiment.Stage;

    /// <summary>The round the step works on, as persisted before the step.</summary>
    public Round Round => Experiment.Current;

    public KernelDefinition Kernel { get; } = kernel;

    public IGrainFactory Grains { get; } = grains;

    /// <summary>False once the sweep has said its budget is used up; read when a model call is about to be made.</summary>
    public Func<bool> WithinBudget { get; } = withinBudget;

    /// <summary>The technology in effect: the spec's, or the one the model chose when the spec says <c>auto</c>.</summary>
    public string Technology => Experiment.Technology;

    /// <summary>The jobs this step has run so far, with their times on the agent.</summary>
    public IReadOnlyList<JobSpan> Jobs => _jobs;

    /// <summary>An agent for the technology, in the pools the sweep pinned it to; the round's (or the last round's) while alive.</summary>
    public Task<AgentInfo> SelectAgentAsync(Round round) =>
        jobs.SelectAgentAsync(AgentNeeds.Of(Spec.Run, Spec.Pools, Technology), round.AgentId ?? Experiment.AgentId, CancellationToken.None);

    public async Task<JobReport> BuildAsync(AgentInfo agent, BuildRequest job)
    {
        var result = await jobs.BuildAsync(agent, job, CancellationToken.None);
        _jobs.Add(Span(job.JobId, "build", agent, exclusive: false, result));
        return result;
    }

    public async Task<JobReport> RunAsync(AgentInfo agent, RunRequest job)
    {
        var result = await jobs.RunAsync(agent, job, CancellationToken.None);
        _jobs.Add(Span(job.JobId, "run", agent, job.Exclusive, result));
        return result;
    }

    /// <summary>A paired measurement on the agent (<see cref="Measurements.Job"/>): one span for all its runs, exclusive.</summary>
    public async Task<JobReport> MeasureAsync(AgentInfo agent, MeasureRequest job)
    {
        var result = await jobs.MeasureAsync(agent, job, CancellationToken.None);
        _jobs.Add(Span(job.JobId, "measure", agent, exclusive: true, result));
        return result;
    }

    /// <summary>The sequential reference's output and artifact on <paramref name="input"/>, computed once per agent (untimed).</summary>
    public Task<ReferenceResult> ReferenceAsync(string input, AgentInfo agent) =>
        Grains.GetGrain<IReferenceGrain>(ReferenceGrain.Key(Kernel, input, agent.AgentId))
            .GetAsync(Kernel, input, agent, Spec.Run.Repetitions, Spec.Run.TimeoutSeconds);

    /// <summary>A job id unique to this experiment and round: <c>EXPERIMENT/rN/SUFFIX</c>.</summary>
    public string JobId(string suffix) => $"{Spec.ExperimentId}/r{Round.Number}/{suffix}";

    /// <summary>Ends the round with a verdict, and marks the current span (the failing step's) with it.</summary>
    public StepResult Fail(Round round, Verdict verdict, string reason, string feedback, IReadOnlyList<ErrorFinding>? findings = null)
    {
        ExperimentTrace.Failed(verdict, reason);
        return new StepResult(round.Failed(Stage, verdict, reason, feedback, findings), verdict);
    }

    private static JobSpan Span(string jobId, string kind, AgentInfo agent, bool exclusive, JobReport result) =>
        new(jobId, kind, agent.AgentId, exclusive, [.. result.Cores], result.QueuedUnixMs, result.StartedUnixMs, result.FinishedUnixMs, result.Cached);
}
