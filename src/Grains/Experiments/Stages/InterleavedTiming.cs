using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Grains.Scheduling;

namespace Kernelsmith.Grains.Experiments.Stages;

/// <summary>
/// Times a configuration against the sequential reference, paired on the same agent and cores (the agent's Measure
/// job: warm-ups, then randomised rounds of both until the speedup's 95 % interval is within <c>run.precision</c> or a
/// cap; docs/measurement.md), and adds the catalog expert's speedup at the same configuration, measured once per sweep.
/// </summary>
public sealed class InterleavedTiming : IConfigurationTiming
{
    public async Task<Timing> MeasureAsync(StageContext context, AgentInfo agent, Round round, Configuration configuration, KernelInput input, ReferenceResult reference)
    {
        var (run, (threads, ranks), technology) = (context.Spec.Run, configuration, context.Technology);
        var jobId = context.JobId($"t{threads}n{ranks}");
        var job = Measurements.Job(
            jobId, run, context.Kernel.TimingPattern,
            Jobs.Run($"{jobId}/reference", reference.ArtifactId, input, 1, 1, run.TimeoutSeconds, exclusive: true, BuildRecipe.Sequential),
            Jobs.Run($"{jobId}/candidate", round.ArtifactId!, input, threads, ranks, run.TimeoutSeconds, exclusive: true, technology));
        var result = await context.MeasureAsync(agent, job);
        if (result.Measurement is not { FailedArm: -1 } measurement)
        {
            return new Timing(null, [], result, ReferenceFailed: result.Measurement?.FailedArm == 0);
        }

        var timing = Measurements.Timing(measurement, 1);
        var expert = !run.Expert ? null : await context.Grains
            .GetGrain<IExpertTimingGrain>(ExpertTimingGrain.Key(context.Spec.SweepId, context.Kernel, technology, run.Input, agent.AgentId, threads, ranks))
            .GetAsync(context.Kernel, technology, run, agent, threads, ranks);
        var measured = new RunMeasurement(threads, ranks, timing.Seconds, timing.Pairs, timing.AllSeconds, timing.Speedup)
        {
            Timing = timing,
            Superlinear = Measurements.IsSuperlinear(timing.Speedup, threads, ranks, technology),
            ExpertSpeedup = expert?.Speedup,
        };
        var runs = Measurements.Outputs(measurement, 1);
        return new Timing(measured, [.. runs.Select(Jobs.ProducedOutput)], Stderr: runs.Select(r => r.Stderr).FirstOrDefault(e => e.Length > 0) ?? "");
    }
}
