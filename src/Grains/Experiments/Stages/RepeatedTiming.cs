using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Grains.Scheduling;

namespace Kernelsmith.Grains.Experiments.Stages;

/// <summary>
/// The spec's number of exclusive runs of the configuration, back to back; the timing is their median, and the speedup
/// the reference's median over it.
/// </summary>
public sealed class RepeatedTiming : IConfigurationTiming
{
    public async Task<Timing> MeasureAsync(StageContext context, AgentInfo agent, Round round, Configuration configuration, KernelInput input, ReferenceResult reference)
    {
        var (run, (threads, ranks)) = (context.Spec.Run, configuration);
        var times = new List<double>();
        var outputs = new List<string>();
        for (var repetition = 0; repetition < run.Repetitions; repetition++)
        {
            var job = Jobs.Run(context.JobId($"t{threads}n{ranks}/{repetition}"), round.ArtifactId!, input, threads, ranks, run.TimeoutSeconds, exclusive: true, context.Technology);
            var result = await context.RunAsync(agent, job);
            if (!Jobs.Succeeded(result))
            {
                return new Timing(null, outputs, result);
            }

            outputs.Add(Jobs.ProducedOutput(result));
            times.Add(result.WallSeconds);
        }

        var median = Jobs.Median(times);
        return new Timing(new RunMeasurement(threads, ranks, median, times.Count, times, median > 0 ? reference.MedianSeconds / median : 0), outputs);
    }
}
