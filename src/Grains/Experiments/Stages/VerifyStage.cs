using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Grains.Telemetry;

namespace Kernelsmith.Grains.Experiments.Stages;

/// <summary>
/// Compares every timed configuration's output with the sequential reference's: the round is correct unless one differs,
/// and a configuration that differs loses its timing (<see cref="ConfigurationVerdicts"/>).
/// </summary>
public sealed class VerifyStage : IStage
{
    public ExperimentStage Stage => ExperimentStage.Verify;

    public Task<StepResult> RunAsync(StageContext context)
    {
        using var activity = GrainsInstrumentation.Source.StartActivity("verify");
        var round = context.Round;
        var decided = ConfigurationVerdicts.Decide(context, round, ConfigurationVerdicts.Clean(round));
        return Task.FromResult(decided.Failure is not null ? decided : new StepResult(decided.Round with { Verdict = Verdict.Correct, Reason = "" }));
    }
}
