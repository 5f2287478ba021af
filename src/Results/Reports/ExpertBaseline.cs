using Kernelsmith.Contracts.Experiments;

namespace Kernelsmith.Results.Reports;

/// <summary>
/// The expert solution's best speedup for a record: the record's own <c>expert_speedup</c> when measured, else the
/// median best speedup of the same sweep's correct <c>sim expert</c> samples for that kernel and technology.
/// </summary>
public sealed class ExpertBaseline(IEnumerable<ExperimentRecord> records)
{
    private readonly Dictionary<(string Kernel, string Technology), double> _simExpert = records
        .Where(r => r.IsSimExpert() && r.Passed() && r.Speedup > 0)
        .GroupBy(r => (r.Kernel, r.Technology))
        .ToDictionary(g => g.Key, g => Metrics.Median(g.Select(r => r.Speedup!.Value))!.Value);

    public double? SpeedupFor(ExperimentRecord record) =>
        record.ExpertSpeedup is > 0 ? record.ExpertSpeedup
        : _simExpert.TryGetValue((record.Kernel, record.Technology), out var speedup) ? speedup : null;

    /// <summary>Best speedup / expert's best speedup, for a passed sample with a known expert; otherwise null.</summary>
    public double? RatioFor(ExperimentRecord record) =>
        record.Passed() && record.Speedup > 0 && SpeedupFor(record) is { } expert ? record.Speedup.Value / expert : null;
}
