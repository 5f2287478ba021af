using System.Globalization;
using System.Text.Json.Serialization;
using Kernelsmith.Contracts.Experiments;

namespace Kernelsmith.Results;

/// <summary>
/// One experiment as a flat row: the columns of <c>results.csv</c> and <c>results.parquet</c>, in this order
/// (documented in docs/results.md). Columns are only ever added at the end, so readers keep working.
/// </summary>
public sealed class ResultRow
{
    [JsonPropertyName("experiment")] public string Experiment { get; init; } = "";
    [JsonPropertyName("sweep")] public string Sweep { get; init; } = "";
    [JsonPropertyName("kernel")] public string Kernel { get; init; } = "";
    [JsonPropertyName("model")] public string Model { get; init; } = "";
    [JsonPropertyName("technology")] public string Technology { get; init; } = "";
    [JsonPropertyName("prompt")] public string Prompt { get; init; } = "";
    [JsonPropertyName("sample")] public int Sample { get; init; }
    [JsonPropertyName("verdict")] public string Verdict { get; init; } = "";
    [JsonPropertyName("reason")] public string Reason { get; init; } = "";
    [JsonPropertyName("rounds")] public int Rounds { get; init; }
    [JsonPropertyName("sequential_seconds")] public double? SequentialSeconds { get; init; }
    [JsonPropertyName("speedup")] public double? Speedup { get; init; }
    [JsonPropertyName("best_threads")] public int? BestThreads { get; init; }
    [JsonPropertyName("runs")] public string Runs { get; init; } = "";
    [JsonPropertyName("taxonomy")] public string Taxonomy { get; init; } = "";
    [JsonPropertyName("tokens_input")] public long TokensInput { get; init; }
    [JsonPropertyName("tokens_output")] public long TokensOutput { get; init; }
    [JsonPropertyName("simulated")] public bool Simulated { get; init; }
    [JsonPropertyName("trace_id")] public string TraceId { get; init; } = "";
    [JsonPropertyName("attempts")] public string Attempts { get; init; } = "";
    [JsonPropertyName("parallel")] public bool? Parallel { get; init; }
    [JsonPropertyName("expert_speedup")] public double? ExpertSpeedup { get; init; }
    [JsonPropertyName("cost_usd")] public double? CostUsd { get; init; }
    [JsonPropertyName("provider")] public string Provider { get; init; } = "";
    [JsonPropertyName("input")] public string Input { get; init; } = "";
    [JsonPropertyName("agent")] public string Agent { get; init; } = "";
    [JsonPropertyName("toolchain")] public string Toolchain { get; init; } = "";
    [JsonPropertyName("hardware")] public string Hardware { get; init; } = "";
    [JsonPropertyName("prompt_hash")] public string PromptHash { get; init; } = "";
    [JsonPropertyName("kernel_hash")] public string KernelHash { get; init; } = "";
    [JsonPropertyName("speedup_low")] public double? SpeedupLow { get; init; }
    [JsonPropertyName("speedup_high")] public double? SpeedupHigh { get; init; }
    [JsonPropertyName("pairs")] public int? Pairs { get; init; }
    [JsonPropertyName("cv")] public double? Cv { get; init; }
    [JsonPropertyName("noisy")] public bool Noisy { get; init; }
    [JsonPropertyName("superlinear")] public bool Superlinear { get; init; }
    [JsonPropertyName("output_correct")] public bool? OutputCorrect { get; init; }
    [JsonPropertyName("served_model")] public string? ServedModel { get; init; }
    [JsonPropertyName("system_fingerprint")] public string? SystemFingerprint { get; init; }
    [JsonPropertyName("kernelsmith_version")] public string? KernelsmithVersion { get; init; }
    [JsonPropertyName("spec_hash")] public string? SpecHash { get; init; }
    [JsonPropertyName("compiler")] public string? Compiler { get; init; }
    [JsonPropertyName("mpi")] public string? Mpi { get; init; }

    public static IReadOnlyList<string> Columns => TableColumns<ResultRow>.Names;

    public static ResultRow From(ExperimentRecord r) => new()
    {
        Experiment = r.Experiment,
        Sweep = r.Sweep,
        Kernel = r.Kernel,
        Model = r.Model,
        Technology = r.Technology,
        Prompt = r.Prompt,
        Sample = r.Sample,
        Verdict = r.Verdict.ToWireName(),
        Reason = r.Reason,
        Rounds = r.Rounds,
        SequentialSeconds = r.SequentialSeconds,
        Speedup = r.Speedup,
        BestThreads = r.BestThreads,
        Runs = string.Join(";", r.Runs.Select(m => $"threads={m.Threads} ranks={m.Ranks} seconds={Text(m.Seconds)}"
            + (m.SpeedupCi is [var low, var high] ? $" speedup={Text(m.Speedup)} ci={Text(low)}:{Text(high)} pairs={m.Pairs}{(m.Noisy ? " noisy" : "")}{(m.Superlinear ? " superlinear" : "")}" : ""))),
        Taxonomy = string.Join(";", r.Taxonomy.Select(t => $"{t.Stage}:{t.Category}")),
        TokensInput = r.Tokens.Input,
        TokensOutput = r.Tokens.Output,
        Simulated = r.Provenance.Simulated,
        TraceId = r.TraceId,
        Attempts = ResultsDirectory.AttemptsFolder(r),
        Parallel = r.Parallel,
        ExpertSpeedup = r.ExpertSpeedup,
        CostUsd = r.CostUsd,
        Provider = r.Provenance.Provider,
        Input = r.Provenance.Input,
        Agent = r.Provenance.Agent,
        Toolchain = r.Provenance.Toolchain,
        Hardware = r.Provenance.Hardware,
        PromptHash = r.Provenance.PromptHash,
        KernelHash = r.Provenance.KernelHash,
        SpeedupLow = r.SpeedupCi?[0],
        SpeedupHigh = r.SpeedupCi?[1],
        Pairs = r.Pairs,
        Cv = r.Cv,
        Noisy = r.Noisy,
        Superlinear = r.Superlinear,
        OutputCorrect = r.OutputCorrect,
        ServedModel = r.Provenance.ServedModel,
        SystemFingerprint = r.Provenance.SystemFingerprint,
        KernelsmithVersion = r.Provenance.KernelsmithVersion,
        SpecHash = r.Provenance.SpecHash,
        Compiler = Tables.ToolchainColumns.Compiler(r.Provenance.Toolchain),
        Mpi = Tables.ToolchainColumns.Mpi(r.Provenance.Toolchain),
    };

    private static string Text(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
