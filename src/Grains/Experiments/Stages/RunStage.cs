using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Grains.Scheduling;
using Kernelsmith.Grains.Telemetry;

namespace Kernelsmith.Grains.Experiments.Stages;

/// <summary>
/// Times the program at each configuration on the agent holding its artifact, against the sequential reference built
/// and checked on the same agent. The timings come from <see cref="IConfigurationTiming"/>; a run that fails ends the
/// round (the reference's as an infrastructure failure: the program is not to blame).
/// </summary>
public sealed class RunStage(IConfigurationTiming timing) : IStage
{
    /// <summary>Characters of a configuration's standard error kept in the round's run log.</summary>
    private const int StderrKept = 4_000;

    public ExperimentStage Stage => ExperimentStage.Run;

    public async Task<StepResult> RunAsync(StageContext context)
    {
        var (agent, built) = await BuildStage.AgentWithArtifactAsync(context, context.Round);
        if (built.Failure is not null)
        {
            return built;
        }

        var round = built.Round with { Hardware = agent.Hardware, Calibration = agent.Calibration };
        var reference = await context.ReferenceAsync(context.Spec.Run.Input, agent);
        if (reference.Error is not null)
        {
            return context.Fail(round, Verdict.InfraError, reference.Error, "");
        }

        // The reference's own runs were untimed: the sequential time comes from the first configuration's pairs.
        round = round with { SequentialSeconds = null, Runs = [], Outputs = [], ReferenceOutput = reference.Stdout, RunLog = "" };
        var input = context.Kernel.Inputs[context.Spec.Run.Input];
        foreach (var configuration in Configurations.Timed(context.Spec, context.Technology))
        {
            using var activity = GrainsInstrumentation.Source.StartActivity("run");
            activity?.SetTag("kernelsmith.threads", configuration.Threads);
            activity?.SetTag("kernelsmith.ranks", configuration.Ranks);
            var measured = await timing.MeasureAsync(context, agent, round, configuration, input, reference);
            if (measured is { ReferenceFailed: true, Failed: { } lost })
            {
                return context.Fail(round, Verdict.InfraError, $"the sequential reference of {context.Kernel.Id} failed while timed beside the program {configuration.Where}: {Jobs.Log(lost)}", "");
            }

            if (measured.Failed is { } failed)
            {
                return RunFailures.Of(context, round, failed, configuration.Where)
                    ?? throw new InvalidOperationException($"the timing reported a failed run {configuration.Where} that exited cleanly");
            }

            round = round with { Runs = [.. round.Runs, measured.Measurement!], Outputs = [.. round.Outputs, measured.Outputs] };
            if (measured.Stderr.Length > 0)
            {
                // Kept for run.log, capped: a program with the wrong output often said why on standard error.
                round = round with { RunLog = round.RunLog + $"{configuration.Where}, standard error:\n{Text.Clip(measured.Stderr, StderrKept, Text.LogMarker)}\n" };
            }

            if (round.Runs.Count == 1 && measured.Measurement!.Timing is { } paired)
            {
                // The reference's median over the first configuration's pairs: what the record shows as the sequential time.
                round = round with { SequentialSeconds = paired.SequentialSeconds };
            }
        }

        return new StepResult(round);
    }
}
