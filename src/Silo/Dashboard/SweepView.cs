using System.Collections.Immutable;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Silo.Dashboard;

/// <summary>
/// What the dashboard shows of one sweep at one moment: its progress, every record so far, the recording rate over the
/// last minute and the time left at that rate, and the tokens and cost of the recorded experiments.
/// </summary>
public sealed record SweepView(SweepProgress Progress, ImmutableList<ExperimentRecord> Records, double? PerMinute, TimeSpan? Left, DateTimeOffset At)
{
    public long Tokens => Records.Sum(r => r.Tokens.Input + r.Tokens.Output);

    public double Cost => Records.Sum(r => r.CostUsd ?? 0);

    /// <summary>Whether anything a page shows changed since <paramref name="before"/>.</summary>
    public static bool Changed(SweepView? before, SweepView now) =>
        before is null
        || before.Progress.Recorded != now.Progress.Recorded
        || before.Progress.Running != now.Progress.Running
        || before.Progress.Cancelled != now.Progress.Cancelled
        || before.Progress.Total != now.Progress.Total
        || !before.Progress.Waiting.SequenceEqual(now.Progress.Waiting)
        || before.Left != now.Left;
}
