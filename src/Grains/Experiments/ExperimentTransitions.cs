using Kernelsmith.Contracts.Experiments;

namespace Kernelsmith.Grains.Experiments;

/// <summary>
/// The experiment state machine's rules, kept pure so they can be tested without a silo.
/// A step either succeeds or fails with a verdict; failures go to repair, except infrastructure
/// failures, which are recorded as they are (they are never the model's to fix).
/// </summary>
public static class ExperimentTransitions
{
    public static ExperimentStage Next(ExperimentStage stage, Verdict? failure, bool roundsLeft)
    {
        if (failure == Verdict.InfraError)
        {
            return ExperimentStage.Record;
        }

        return (stage, failure) switch
        {
            (ExperimentStage.Pending, _) => ExperimentStage.Generate,
            (ExperimentStage.Generate, null) => ExperimentStage.Extract,
            (ExperimentStage.Extract, null) => ExperimentStage.Build,
            (ExperimentStage.Build, null) => ExperimentStage.Run,
            (ExperimentStage.Run, null) => ExperimentStage.Verify,
            (ExperimentStage.Verify, null) => ExperimentStage.Amplify,
            (ExperimentStage.Amplify, null) => ExperimentStage.Sanitize,
            (ExperimentStage.Sanitize, null) => ExperimentStage.Record,
            (ExperimentStage.Repair, _) => roundsLeft ? ExperimentStage.Generate : ExperimentStage.Record,
            (ExperimentStage.Record, _) => ExperimentStage.Done,
            (ExperimentStage.Done, _) => ExperimentStage.Done,
            (_, not null) => ExperimentStage.Repair,
            _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "unknown stage"),
        };
    }
}
