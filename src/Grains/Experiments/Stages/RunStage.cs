using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Grains.Scheduling;
using Kernelsmith.Grains.Telemetry;

namespace Kernelsmith.Grains.Experiments.Stages;

/// <summary>
/// Times the program at each configuration on the agent holding its artifact, against the sequential reference built
/// and checked on the same agent. The timings come from <see cref="IConfigurationTiming"/>. A run of the program that
/// fails does not stop the others: every configuration's outcome is kept (<see cref="ConfigurationVerdicts"/>), and the
/// round ends with the first failing one's verdict. A failure of the reference ends the round at once, as an
/// infrastructure failure: the program is not to blame.
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
        var configurations = new List<ConfigurationRun>();
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
                var failure = RunFailures.Of(context, round, failed, configuration.Where)
                    ?? throw new InvalidOperationException($"the timing reported a failed run {configuration.Where} that exited cleanly");
                configurations.Add(new ConfigurationRun(configuration, null, [], failure));
                continue;
            }

            configurations.Add(new ConfigurationRun(configuration, measured.Measurement, measured.Outputs, null));
            if (measured.Stderr.Length > 0)
            {
                // Kept for run.log, capped: a program with the wrong output often said why on standard error.
                round = round with { RunLog = round.RunLog + $"{configuration.Where}, standard error:\n{Text.Clip(measured.Stderr, StderrKept, Text.LogMarker)}\n" };
            }

            if (round.SequentialSeconds is null && measured.Measurement!.Timing is { } paired)
            {
                // The reference's median over the first timed configuration's pairs: what the record shows as the sequential time.
                round = round with { SequentialSeconds = paired.SequentialSeconds };
            }
        }

        // With a failed run the round ends here, so the clean runs' outputs are compared now: none of the outcomes is lost.
        return configurations.Any(c => c.Failure is not null)
            ? ConfigurationVerdicts.Decide(context, round, configurations)
            : new StepResult(round with { Runs = [.. configurations.Select(c => c.Measurement!)], Outputs = [.. configurations.Select(c => c.Outputs)] });
    }
}
