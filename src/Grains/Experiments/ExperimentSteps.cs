using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Grains.Cluster;
using Kernelsmith.Grains.Experiments.Stages;
using Kernelsmith.Grains.Scheduling;
using Microsoft.Extensions.Logging;

namespace Kernelsmith.Grains.Experiments;

/// <summary>
/// One step of an experiment: the current stage's work, then the experiment's move. Every fault is logged here and
/// becomes part of the experiment: a failure of the cluster itself (a silo or Redis gone) is retried for as long as the
/// cluster takes to recover; a failure of the infrastructure (or any failure while recording, since a record is
/// never dropped) is retried up to <see cref="MaxInfraAttempts"/> tries, then recorded as <c>infra_error</c>; any other
/// exception is an internal error, recorded as <c>infra_error</c> at once. Pending and Repair do no work: they only move.
/// </summary>
public sealed partial class ExperimentSteps(IEnumerable<IStage> stages, IJobRunner jobs, ILogger<ExperimentSteps> logger)
{
    /// <summary>
    /// Tries of a stage that failed for the infrastructure's sake: the waits between them (2, 4, 8, 16, 30 s) outlast the
    /// time a cluster takes to declare a killed silo dead.
    /// </summary>
    public const int MaxInfraAttempts = 6;

    private readonly Dictionary<ExperimentStage, IStage> _stages = stages.ToDictionary(s => s.Stage);

    /// <summary>The experiment after its current step; null when its record could not be delivered in as many tries.</summary>
    public async Task<Experiment?> StepAsync(Experiment experiment, KernelDefinition kernel, IGrainFactory grains, Func<bool> withinBudget)
    {
        var context = new StageContext(experiment, kernel, jobs, grains, withinBudget);
        var (id, stage, recording) = (experiment.Spec.ExperimentId, experiment.Stage, experiment.Stage == ExperimentStage.Record);
        try
        {
            var result = _stages.TryGetValue(stage, out var work) ? await work.RunAsync(context) : new StepResult(experiment.Current);
            return experiment.After(result.Round, result.Failure, context.Jobs);
        }
        catch (Exception e) when (ClusterFailures.IsTransient(e))
        {
            // A silo or Redis gone: nobody's failure, retried for as long as the cluster takes to recover.
            LogStepRetried(id, stage, experiment.Retries + 1, e.Message);
            return experiment.Retried(context.Jobs);
        }
        catch (Exception e) when ((recording || InfraFailures.Is(e)) && experiment.Retries < MaxInfraAttempts - 1)
        {
            LogStepRetried(id, stage, experiment.Retries + 1, e.Message);
            return experiment.Retried(context.Jobs);
        }
        catch (Exception e) when (recording)
        {
            LogRecordNotDelivered(e, id, MaxInfraAttempts);
            return null;
        }
        catch (Exception e) when (InfraFailures.Is(e))
        {
            LogStepFailed(id, stage, MaxInfraAttempts, e.Message);
            return Failed(context, e.Message);
        }
        catch (Exception e)
        {
            LogStepCrashed(e, id, stage);
            return Failed(context, $"internal error in stage {stage}: {e.Message}");
        }
    }

    /// <summary>How long to wait before the next try, after <paramref name="retries"/> failed ones.</summary>
    public static TimeSpan Backoff(int retries) => TimeSpan.FromSeconds(Math.Min(30, 1 << Math.Min(retries, 5)));

    /// <summary>The system failed, not the model: the experiment is recorded as infra_error.</summary>
    private static Experiment Failed(StageContext context, string reason)
    {
        var failed = context.Fail(context.Round, Verdict.InfraError, reason, "");
        return context.Experiment.After(failed.Round, failed.Failure, context.Jobs);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId} retries stage {Stage} (attempt {Attempt}): {Problem}")]
    private partial void LogStepRetried(string experimentId, ExperimentStage stage, int attempt, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId} failed in stage {Stage} after {Attempts} tries, recorded as infra_error: {Problem}")]
    private partial void LogStepFailed(string experimentId, ExperimentStage stage, int attempts, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Experiment {ExperimentId} crashed in stage {Stage}")]
    private partial void LogStepCrashed(Exception exception, string experimentId, ExperimentStage stage);

    [LoggerMessage(Level = LogLevel.Error, Message = "Experiment {ExperimentId} could not deliver its record in {Attempts} tries; it waits for its sweep to start it again")]
    private partial void LogRecordNotDelivered(Exception exception, string experimentId, int attempts);
}
