using System.Diagnostics.Metrics;

namespace Kernelsmith.Contracts.Telemetry;

/// <summary>
/// Bucket boundaries given to every histogram as advice, so that each exporter (OTLP, Prometheus) uses them. The SDK's
/// default (0, 5, 10 ... 10000) was made for milliseconds: in seconds, a 30 ms run and a 3 s build fell in one bucket.
/// </summary>
public static class HistogramBuckets
{
    /// <summary>Durations in seconds, from milliseconds (runs of tiny inputs) to an hour (a queued Slurm job, a slow model).</summary>
    public static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800, 3600],
    };

    /// <summary>Rounds per experiment: one bucket per round up to ten.</summary>
    public static readonly InstrumentAdvice<long> Rounds = new() { HistogramBucketBoundaries = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] };

    /// <summary>Tokens per model call, from a short feedback turn to a long-context answer.</summary>
    public static readonly InstrumentAdvice<long> Tokens = new()
    {
        HistogramBucketBoundaries = [64, 256, 1024, 4096, 16384, 65536, 262144, 1048576],
    };
}
