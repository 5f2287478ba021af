using Kernelsmith.Contracts.Experiments;

namespace Kernelsmith.Grains.Experiments.Stages;

/// <summary>
/// The work of one stage of an experiment: it reads the experiment through its <see cref="StageContext"/> and returns
/// the current round as the work left it. Where to go next is the <see cref="Experiment"/>'s decision, not the stage's.
/// An exception is a failure of the system (an agent or endpoint gone), never the program's.
/// </summary>
public interface IStage
{
    ExperimentStage Stage { get; }

    Task<StepResult> RunAsync(StageContext context);
}

/// <summary>The round as a stage's work left it, and the verdict when the stage failed.</summary>
public sealed record StepResult(Round Round, Verdict? Failure = null);
