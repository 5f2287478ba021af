using System.Globalization;
using System.Text.Json.Serialization;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Results.Tables;

namespace Kernelsmith.Results;

/// <summary>
/// One experiment as a flat row: the columns of <c>results.csv</c> and <c>results.parquet</c>, in this order
/// (documented in docs/results.md). Columns are only ever added at the end, so readers keep working.
/// </summary>
public sealed class ResultRow : IRecordColumns
{
    [JsonPropertyName("experiment")] public string Experiment { get; set; } = "";
    [JsonPropertyName("sweep")] public string Sweep { get; set; } = "";
    [JsonPropertyName("kernel")] public string Kernel { get; set; } = "";
    [JsonPropertyName("model")] public string Model { get; init; } = "";
    [JsonPropertyName("technology")] public string Technology { get; set; } = "";
    [JsonPropertyName("prompt")] public string Prompt { get; set; } = "";
    [JsonPropertyName("sample")] public int Sample { get; set; }
    [JsonPropertyName("verdict")] public string Verdict { get; set; } = "";
    [JsonPropertyName("reason")] public string Reason { get; set; } = "";
    [JsonPropertyName("rounds")] public int Rounds { get; set; }
    [JsonPropertyName("sequential_seconds")] public double? SequentialSeconds { get; set; }
    [JsonPropertyName("speedup")] public double? Speedup { get; set; }
    [JsonPropertyName("best_threads")] public int? BestThreads { get; init; }
    [JsonPropertyName("runs")] public string Runs { get; init; } = "";
    [JsonPropertyName("taxonomy")] public string Taxonomy { get; init; } = "";
    [JsonPropertyName("tokens_input")] public long TokensInput { get; set; }
    [JsonPropertyName("tokens_output")] public long TokensOutput { get; set; }
    [JsonPropertyName("simulated")] public bool Simulated { get; set; }
    [JsonPropertyName("trace_id")] public string TraceId { get; set; } = "";
    [JsonPropertyName("attempts")] public string Attempts { get; set; } = "";
    [JsonPropertyName("parallel")] public bool? Parallel { get; set; }
    [JsonPropertyName("expert_speedup")] public double? ExpertSpeedup { get; set; }
    [JsonPropertyName("cost_usd")] public double? CostUsd { get; set; }
    [JsonPropertyName("provider")] public string Provider { get; set; } = "";
    [JsonPropertyName("input")] public string Input { get; set; } = "";
    [JsonPropertyName("agent")] public string Agent { get; set; } = "";
    [JsonPropertyName("toolchain")] public string Toolchain { get; set; } = "";
    [JsonPropertyName("hardware")] public string Hardware { get; set; } = "";
    [JsonPropertyName("prompt_hash")] public string PromptHash { get; set; } = "";
    [JsonPropertyName("kernel_hash")] public string KernelHash { get; set; } = "";
    [JsonPropertyName("speedup_low")] public double? SpeedupLow { get; set; }
    [JsonPropertyName("speedup_high")] public double? SpeedupHigh { get; set; }
    [JsonPropertyName("pairs")] public int? Pairs { get; set; }
    [JsonPropertyName("cv")] public double? Cv { get; init; }
    [JsonPropertyName("noisy")] public bool Noisy { get; set; }
    [JsonPropertyName("superlinear")] public bool Superlinear { get; set; }
    [JsonPropertyName("output_correct")] public bool? OutputCorrect { get; set; }
    [JsonPropertyName("served_model")] public string? ServedModel { get; set; }
    [JsonPropertyName("system_fingerprint")] public string? SystemFingerprint { get; set; }
    [JsonPropertyName("kernelsmith_version")] public string? KernelsmithVersion { get; set; }
    [JsonPropertyName("spec_hash")] public string? SpecHash { get; set; }
    [JsonPropertyName("compiler")] public string? Compiler { get; set; }
    [JsonPropertyName("mpi")] public string? Mpi { get; set; }

    public static IReadOnlyList<string> Columns => TableColumns<ResultRow>.Names;

    public static ResultRow From(ExperimentRecord r) => RecordColumns.Fill(
        new ResultRow
        {
            Model = r.Model,
            BestThreads = r.BestThreads,
            Runs = string.Join(";", r.Runs.Select(m => $"threads={m.Threads} ranks={m.Ranks} seconds={Text(m.Seconds)}"
                + (m.SpeedupCi is [var low, var high] ? $" speedup={Text(m.Speedup)} ci={Text(low)}:{Text(high)} pairs={m.Pairs}{(m.Noisy ? " noisy" : "")}{(m.Superlinear ? " superlinear" : "")}" : ""))),
            Taxonomy = string.Join(";", r.Taxonomy.Select(t => $"{t.Stage}:{t.Category}")),
            Cv = r.Cv,
        },
        r);

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
