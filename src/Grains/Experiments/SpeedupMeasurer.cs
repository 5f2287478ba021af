using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Protos;
using Kernelsmith.Grains.Scheduling;

namespace Kernelsmith.Grains.Experiments;

/// <summary>
/// One configuration of a candidate, measured: the run's result (that of the run that failed, when one did), the
/// <see cref="RunMeasurement"/> when all ran, and the candidate's kept outputs (its first and last timed run).
/// </summary>
public sealed record MeasuredConfiguration(JobResult Result, RunMeasurement? Measurement, IReadOnlyList<JobResult> Outputs, bool ReferenceFailed);

/// <summary>
/// Times a candidate at one configuration against the sequential reference, paired on the same agent and cores (the
/// agent's Measure job), and adds the catalog expert's speedup at the same configuration, measured once per sweep.
/// </summary>
public sealed class SpeedupMeasurer(JobDispatcher dispatcher, IGrainFactory grains)
{
    public async Task<MeasuredConfiguration> MeasureAsync(
        AgentInfo agent, ExperimentSpec spec, KernelDefinition kernel, string technology, string artifactId, ReferenceResult reference, int threads, int ranks, string jobId)
    {
        var input = kernel.Inputs[spec.Run.Input];
        var job = Measurements.Job(
            jobId, spec.Run, kernel.TimingPattern,
            Jobs.Run($"{jobId}/reference", reference.ArtifactId, input, 1, 1, spec.Run.TimeoutSeconds, exclusive: true, BuildRecipe.Sequential),
            Jobs.Run($"{jobId}/candidate", artifactId, input, threads, ranks, spec.Run.TimeoutSeconds, exclusive: true, technology));
        var result = await dispatcher.MeasureAsync(agent, job, CancellationToken.None);
        if (result.Measurement is not { FailedArm: -1 } measurement)
        {
            return new MeasuredConfiguration(result, null, [], result.Measurement?.FailedArm == 0);
        }

        var timing = Measurements.Timing(measurement, 1);
        var expert = !spec.Run.Expert ? null : await grains.GetGrain<IExpertTimingGrain>(ExpertTimingGrain.Key(spec.SweepId, kernel, technology, spec.Run.Input, agent.AgentId, threads, ranks))
            .GetAsync(kernel, technology, spec.Run, agent.AgentId, threads, ranks);
        var run = new RunMeasurement(threads, ranks, timing.Seconds, timing.Pairs, timing.AllSeconds, timing.Speedup)
        {
            Timing = timing,
            Superlinear = Measurements.IsSuperlinear(timing.Speedup, threads, ranks, technology),
            ExpertSpeedup = expert?.Speedup,
        };
        return new MeasuredConfiguration(result, run, Measurements.Outputs(measurement, 1), false);
    }
}
