using Kernelsmith.Contracts.Experiments;

namespace Kernelsmith.Results.Reports;

/// <summary>
/// One point of a model's time and speedup curves: the medians over its correct samples at one count, the medians of
/// their 95 % interval ends, and whether any of them was noisy or superlinear.
/// </summary>
public sealed record SpeedupPoint(int Count, double Seconds, double Speedup, (double Low, double High)? Interval, bool Noisy, bool Superlinear)
{
    public static SpeedupPoint Of(int count, IReadOnlyList<RunMeasurement> runs)
    {
        var intervals = runs.Where(m => m.SpeedupCi is [_, _]).Select(m => m.SpeedupCi!).ToList();
        return new SpeedupPoint(
            count,
            Metrics.Median(runs.Select(m => m.Seconds))!.Value,
            Metrics.Median(runs.Select(m => m.Speedup))!.Value,
            intervals.Count == runs.Count ? (Metrics.Median(intervals.Select(i => i[0]))!.Value, Metrics.Median(intervals.Select(i => i[1]))!.Value) : null,
            runs.Any(m => m.Noisy),
            runs.Any(m => m.Superlinear));
    }
}
