using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Grains.Telemetry;

namespace Kernelsmith.Grains.Experiments.Stages;

/// <summary>
/// Times the program at each configuration on the agent holding its artifact, with the sequential reference measured on
/// the same agent. The timings come from <see cref="IConfigurationTiming"/>; a run that fails ends the round.
/// </summary>
public sealed class RunStage(IConfigurationTiming timing) : IStage
{
    public ExperimentStage Stage => ExperimentStage.Run;

    public async Task<StepResult> RunAsync(StageContext context)
    {
        var (agent, built) = await BuildStage.AgentWithArtifactAsync(context, context.Round);
        if (built.Failure is not null)
        {
            return built;
        }

        var round = built.Round with { Hardware = agent.Hardware };
        var reference = await context.ReferenceAsync(context.Spec.Run.Input, agent);
        if (reference.Error is not null)
        {
            return context.Fail(round, Verdict.InfraError, reference.Error, "");
        }

        round = round with { SequentialSeconds = reference.MedianSeconds, Runs = [], Outputs = [], ReferenceOutput = reference.Stdout };
        var input = context.Kernel.Inputs[context.Spec.Run.Input];
        foreach (var configuration in Configurations.Timed(context.Spec, context.Technology))
        {
            using var activity = GrainsInstrumentation.Source.StartActivity("run");
            activity?.SetTag("kernelsmith.threads", configuration.Threads);
            activity?.SetTag("kernelsmith.ranks", configuration.Ranks);
            var measured = await timing.MeasureAsync(context, agent, round, configuration, input, reference);
            if (measured.Failed is { } failed)
            {
                return RunFailures.Of(context, round, failed, configuration.Where)
                    ?? throw new InvalidOperationException($"the timing reported a failed run {configuration.Where} that exited cleanly");
            }

            round = round with { Runs = [.. round.Runs, measured.Measurement!], Outputs = [.. round.Outputs, measured.Outputs] };
        }

        return new StepResult(round);
    }
}
