using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Grains.Telemetry;
using Kernelsmith.Grains.Verification;

namespace Kernelsmith.Grains.Experiments.Stages;

/// <summary>Compares every timed run's output with the sequential reference's: the round is correct unless one differs.</summary>
public sealed class VerifyStage : IStage
{
    public ExperimentStage Stage => ExperimentStage.Verify;

    public Task<StepResult> RunAsync(StageContext context)
    {
        using var activity = GrainsInstrumentation.Source.StartActivity("verify");
        var round = context.Round;
        foreach (var (run, outputs) in round.Runs.Zip(round.Outputs))
        {
            var where = new Configuration(run.Threads, run.Ranks).Where;
            if (OutputMismatch.Check(context, round, round.ReferenceOutput, outputs, context.Kernel.Compare, where, RepairFeedback.OutputDiffers(where)) is { } mismatch)
            {
                return Task.FromResult(mismatch);
            }
        }

        return Task.FromResult(new StepResult(round with { Verdict = Verdict.Correct, Reason = "" }));
    }
}
