using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Grains.Verification;

namespace Kernelsmith.Grains.Experiments.Stages;

/// <summary>One configuration as the Run stage left it: timed with what it printed, or the failed run's verdict.</summary>
public sealed record ConfigurationRun(Configuration Configuration, RunMeasurement? Measurement, IReadOnlyList<string> Outputs, StepResult? Failure);

/// <summary>
/// Every configuration's outcome on the run input, so that a wrong output at one count is not hidden by a hang at the
/// next: a run that failed keeps its verdict, a clean run is compared with the reference. Only matching configurations
/// keep their timing (and speedup) in <see cref="Round.Runs"/>; the round's verdict is the first failing configuration's.
/// </summary>
public static class ConfigurationVerdicts
{
    /// <summary>The round with its outcomes; failed with the first failing configuration's verdict, else undecided.</summary>
    public static StepResult Decide(StageContext context, Round round, IReadOnlyList<ConfigurationRun> runs)
    {
        var outcomes = new List<ConfigurationOutcome>();
        var kept = new List<ConfigurationRun>();
        StepResult? first = null;
        foreach (var run in runs)
        {
            var where = run.Configuration.Where;
            var failure = run.Failure
                ?? OutputMismatch.Check(context, round, round.ReferenceOutput, run.Outputs, context.Kernel.Compare, where, RepairFeedback.OutputDiffers(where));
            if (failure is null)
            {
                kept.Add(run);
                outcomes.Add(new ConfigurationOutcome(run.Configuration.Threads, run.Configuration.Ranks, Verdict.Correct, ""));
                continue;
            }

            first ??= failure;
            outcomes.Add(new ConfigurationOutcome(run.Configuration.Threads, run.Configuration.Ranks, failure.Round.Verdict ?? Verdict.InfraError, failure.Round.Reason));
        }

        var decided = (first?.Round ?? round) with
        {
            SequentialSeconds = round.SequentialSeconds,
            Runs = [.. kept.Select(r => r.Measurement!)],
            Outputs = [.. kept.Select(r => r.Outputs)],
            Configurations = outcomes,
        };
        return first is null ? new StepResult(decided) : first with { Round = decided };
    }

    /// <summary>The timed configurations of a round whose runs all exited cleanly, for <see cref="Decide"/>.</summary>
    public static IReadOnlyList<ConfigurationRun> Clean(Round round) =>
        [.. round.Runs.Zip(round.Outputs).Select(p => new ConfigurationRun(new Configuration(p.First.Threads, p.First.Ranks), p.First, p.Second, null))];
}
