using System.Text;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Grains.Scheduling;

/// <summary>Paired measurements at the edge: the agent's Measure job from domain values, and its answer as a <see cref="PairedTiming"/>.</summary>
public static class Measurements
{
    /// <summary>A measurement of <paramref name="candidates"/> against <paramref name="baseline"/>, on the spec's precision and caps.</summary>
    public static MeasureRequest Job(string jobId, RunSettings run, string? timingPattern, RunRequest baseline, params RunRequest[] candidates) =>
        new(
            jobId,
            [baseline, .. candidates],
            run.Precision,
            run.Warmups,
            // `repetitions` is the fewest pairs; no 95 % interval exists below six.
            Math.Max(6, run.Repetitions),
            run.MaxPairs,
            run.MaxSeconds,
            timingPattern ?? "",
            Seed(jobId));

    /// <summary>
    /// The speedup of arm <paramref name="arm"/> over the baseline. With the program's own kernel times (every run
    /// printed one) the speedup and its interval are taken from them, and the wall-time speedup is kept beside it.
    /// </summary>
    public static PairedTiming Timing(MeasureReport measurement, int arm)
    {
        var summary = measurement.Arms[arm];
        var baseline = measurement.Arms[0];
        var kernel = summary.KernelSpeedup > 0;
        var runs = measurement.Runs.Where(r => r.Arm == arm).OrderBy(r => r.Round).ToList();
        var sequential = measurement.Runs.Where(r => r.Arm == 0).OrderBy(r => r.Round).ToList();
        return new PairedTiming(
            kernel ? summary.KernelSpeedup : summary.Speedup,
            kernel ? [summary.KernelSpeedupLow, summary.KernelSpeedupHigh] : [summary.SpeedupLow, summary.SpeedupHigh],
            measurement.Pairs,
            summary.Cv,
            !summary.Reached,
            measurement.Stopped,
            summary.MedianSeconds,
            summary.MedianCpuSeconds,
            baseline.MedianSeconds,
            summary.Speedup,
            kernel ? summary.MedianKernelSeconds : null,
            kernel ? baseline.MedianKernelSeconds : null,
            [.. runs.Select(r => r.WallSeconds)],
            [.. sequential.Select(r => r.WallSeconds)],
            [.. runs.Select(r => r.CpuSeconds)]);
    }

    /// <summary>The run of an arm whose output was kept: the first and the last timed run of each arm.</summary>
    public static IReadOnlyList<JobReport> Outputs(MeasureReport measurement, int arm) =>
        [.. measurement.Runs.Where(r => r.Arm == arm).Select(r => r.Result).OfType<JobReport>()];

    /// <summary>Faster than 1.1 x the cores a configuration used: not plain parallelism (GPU runs have no such bound here).</summary>
    public static bool IsSuperlinear(double speedup, int threads, int ranks, string technology) =>
        technology != Technologies.Cuda && speedup > 1.1 * Math.Max(1, threads) * Math.Max(1, ranks);

    /// <summary>FNV-1a of the job id: the same job is measured in the same order wherever it runs.</summary>
    private static ulong Seed(string jobId)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in Encoding.UTF8.GetBytes(jobId))
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
