using System.Text.Json.Serialization;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Results.Tables;

/// <summary>
/// One row of <c>tables/runs</c>: one timed pair of one configuration (thread or rank count) of one experiment, with
/// the configuration's speedup and interval repeated on each of its pairs (docs/results.md).
/// </summary>
public sealed class RunRow
{
    [JsonPropertyName("experiment")] public string Experiment { get; init; } = "";
    [JsonPropertyName("kernel")] public string Kernel { get; init; } = "";
    [JsonPropertyName("model_id")] public string ModelId { get; init; } = "";
    [JsonPropertyName("technology")] public string Technology { get; init; } = "";
    [JsonPropertyName("verdict")] public string Verdict { get; init; } = "";
    [JsonPropertyName("threads")] public int Threads { get; init; }
    [JsonPropertyName("ranks")] public int Ranks { get; init; }
    [JsonPropertyName("count")] public int Count { get; init; }
    [JsonPropertyName("pair")] public int? Pair { get; init; }
    [JsonPropertyName("seconds")] public double? Seconds { get; init; }
    [JsonPropertyName("sequential_seconds")] public double? SequentialSeconds { get; init; }
    [JsonPropertyName("pair_speedup")] public double? PairSpeedup { get; init; }
    [JsonPropertyName("median_seconds")] public double MedianSeconds { get; init; }
    [JsonPropertyName("speedup")] public double Speedup { get; init; }
    [JsonPropertyName("speedup_low")] public double? SpeedupLow { get; init; }
    [JsonPropertyName("speedup_high")] public double? SpeedupHigh { get; init; }
    [JsonPropertyName("pairs")] public int? Pairs { get; init; }
    [JsonPropertyName("cv")] public double? Cv { get; init; }
    [JsonPropertyName("noisy")] public bool Noisy { get; init; }
    [JsonPropertyName("superlinear")] public bool Superlinear { get; init; }
    [JsonPropertyName("expert_speedup")] public double? ExpertSpeedup { get; init; }

    /// <summary>A configuration's pairs, one row each; a configuration with no recorded pair still gets one row (pair null).</summary>
    public static IEnumerable<RunRow> From(ExperimentRecord record)
    {
        foreach (var run in record.Runs)
        {
            var candidate = run.Timing?.AllSeconds ?? run.AllSeconds;
            var reference = run.Timing?.AllSequentialSeconds ?? [];
            var template = new RunRow
            {
                Experiment = record.Experiment,
                Kernel = record.Kernel,
                ModelId = ExperimentRow.ModelIdOf(record),
                Technology = record.Technology,
                Verdict = record.Verdict.ToWireName(),
                Threads = run.Threads,
                Ranks = run.Ranks,
                Count = record.Technology == Technologies.Mpi ? run.Ranks : run.Threads,
                MedianSeconds = run.Seconds,
                Speedup = run.Speedup,
                SpeedupLow = run.SpeedupCi?[0],
                SpeedupHigh = run.SpeedupCi?[1],
                Pairs = run.Pairs,
                Cv = run.Cv,
                Noisy = run.Noisy,
                Superlinear = run.Superlinear,
                ExpertSpeedup = run.ExpertSpeedup,
            };
            if (candidate.Count == 0)
            {
                yield return template;
                continue;
            }

            for (var pair = 0; pair < candidate.Count; pair++)
            {
                double? sequential = pair < reference.Count ? reference[pair] : null;
                yield return new RunRow
                {
                    Experiment = template.Experiment, Kernel = template.Kernel, ModelId = template.ModelId, Technology = template.Technology,
                    Verdict = template.Verdict, Threads = template.Threads, Ranks = template.Ranks, Count = template.Count,
                    Pair = pair,
                    Seconds = candidate[pair],
                    SequentialSeconds = sequential,
                    PairSpeedup = sequential is { } s && candidate[pair] > 0 ? s / candidate[pair] : null,
                    MedianSeconds = template.MedianSeconds, Speedup = template.Speedup, SpeedupLow = template.SpeedupLow,
                    SpeedupHigh = template.SpeedupHigh, Pairs = template.Pairs, Cv = template.Cv, Noisy = template.Noisy,
                    Superlinear = template.Superlinear, ExpertSpeedup = template.ExpertSpeedup,
                };
            }
        }
    }
}
