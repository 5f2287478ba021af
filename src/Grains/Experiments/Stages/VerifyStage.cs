using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Grains.Telemetry;

namespace Kernelsmith.Grains.Experiments.Stages;

/// <summary>
/// Compares every timed configuration's output with the sequential reference's (and runs the kernel's checker on its output files, if it has one): the round is correct unless one differs,
/// and a configuration that differs loses its timing (<see cref="ConfigurationVerdicts"/>).
/// </summary>
public sealed class VerifyStage : IStage
{
    public ExperimentStage Stage => ExperimentStage.Verify;

    public async Task<StepResult> RunAsync(StageContext context)
    {
        using var activity = GrainsInstrumentation.Source.StartActivity("verify");
        var round = context.Round;
        var decided = ConfigurationVerdicts.Decide(context, round, ConfigurationVerdicts.Clean(round));
        if (decided.Failure is not null)
        {
            return decided;
        }

        // The files a checker judges were left out of the comparison: the kernel's checker says whether they are right.
        if (context.Kernel.Check is { } check && await OutputCheckRun.CheckAsync(context, decided.Round, check) is { } rejected)
        {
            return rejected;
        }

        return new StepResult(decided.Round with { Verdict = Verdict.Correct, Reason = "" });
    }
}
