using System.Globalization;
using System.Text.Json.Serialization;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Results.Tables;

/// <summary>One row of <c>tables/experiments</c>: one experiment, typed columns (docs/results.md).</summary>
public sealed class ExperimentRow
{
    [JsonPropertyName("experiment")] public string Experiment { get; init; } = "";
    [JsonPropertyName("sweep")] public string Sweep { get; init; } = "";
    [JsonPropertyName("kernel")] public string Kernel { get; init; } = "";
    [JsonPropertyName("technology")] public string Technology { get; init; } = "";
    [JsonPropertyName("technology_chosen_by_model")] public bool TechnologyChosenByModel { get; init; }
    [JsonPropertyName("model_id")] public string ModelId { get; init; } = "";
    [JsonPropertyName("model_label")] public string ModelLabel { get; init; } = "";
    [JsonPropertyName("provider")] public string Provider { get; init; } = "";
    [JsonPropertyName("simulated")] public bool Simulated { get; init; }
    [JsonPropertyName("requested_model")] public string? RequestedModel { get; init; }
    [JsonPropertyName("behaviour")] public string? Behaviour { get; init; }
    [JsonPropertyName("temperature")] public double? Temperature { get; init; }
    [JsonPropertyName("top_p")] public double? TopP { get; init; }
    [JsonPropertyName("max_tokens")] public int? MaxTokens { get; init; }
    [JsonPropertyName("seed")] public long? Seed { get; init; }
    [JsonPropertyName("prompt")] public string Prompt { get; init; } = "";
    [JsonPropertyName("prompt_hash")] public string PromptHash { get; init; } = "";
    [JsonPropertyName("sample")] public int Sample { get; init; }
    [JsonPropertyName("verdict")] public string Verdict { get; init; } = "";
    [JsonPropertyName("output_correct")] public bool? OutputCorrect { get; init; }
    [JsonPropertyName("parallel")] public bool? Parallel { get; init; }
    [JsonPropertyName("reason")] public string Reason { get; init; } = "";
    [JsonPropertyName("rounds")] public int Rounds { get; init; }
    [JsonPropertyName("sequential_seconds")] public double? SequentialSeconds { get; init; }
    [JsonPropertyName("speedup")] public double? Speedup { get; init; }
    [JsonPropertyName("speedup_low")] public double? SpeedupLow { get; init; }
    [JsonPropertyName("speedup_high")] public double? SpeedupHigh { get; init; }
    [JsonPropertyName("best_count")] public int? BestCount { get; init; }
    [JsonPropertyName("pairs")] public int? Pairs { get; init; }
    [JsonPropertyName("noisy")] public bool Noisy { get; init; }
    [JsonPropertyName("superlinear")] public bool Superlinear { get; init; }
    [JsonPropertyName("expert_speedup")] public double? ExpertSpeedup { get; init; }
    [JsonPropertyName("tokens_input")] public long TokensInput { get; init; }
    [JsonPropertyName("tokens_output")] public long TokensOutput { get; init; }
    [JsonPropertyName("cost_usd")] public double? CostUsd { get; init; }
    [JsonPropertyName("input")] public string Input { get; init; } = "";
    [JsonPropertyName("agent")] public string Agent { get; init; } = "";
    [JsonPropertyName("toolchain")] public string Toolchain { get; init; } = "";
    [JsonPropertyName("hardware")] public string Hardware { get; init; } = "";
    [JsonPropertyName("kernel_hash")] public string KernelHash { get; init; } = "";
    [JsonPropertyName("trace_id")] public string TraceId { get; init; } = "";
    [JsonPropertyName("attempts")] public string Attempts { get; init; } = "";
    [JsonPropertyName("served_model")] public string? ServedModel { get; init; }
    [JsonPropertyName("system_fingerprint")] public string? SystemFingerprint { get; init; }
    [JsonPropertyName("kernelsmith_version")] public string? KernelsmithVersion { get; init; }
    [JsonPropertyName("spec_hash")] public string? SpecHash { get; init; }
    [JsonPropertyName("compiler")] public string? Compiler { get; init; }
    [JsonPropertyName("mpi")] public string? Mpi { get; init; }

    public static ExperimentRow From(ExperimentRecord r)
    {
        var parameters = r.Provenance.ModelParameters;
        return new()
        {
            Experiment = r.Experiment,
            Sweep = r.Sweep,
            Kernel = r.Kernel,
            Technology = r.Technology,
            TechnologyChosenByModel = r.TechnologyChosenByModel,
            ModelId = ModelIdOf(r),
            ModelLabel = r.Model,
            Provider = r.Provenance.Provider,
            Simulated = r.Provenance.Simulated,
            RequestedModel = parameters.GetValueOrDefault("model"),
            Behaviour = parameters.GetValueOrDefault("behaviour"),
            Temperature = Number(parameters, "temperature", double.Parse),
            TopP = Number(parameters, "top_p", double.Parse),
            MaxTokens = Number(parameters, "max_tokens", int.Parse),
            Seed = Number(parameters, "seed", long.Parse),
            Prompt = r.Prompt,
            PromptHash = r.Provenance.PromptHash,
            Sample = r.Sample,
            Verdict = r.Verdict.ToWireName(),
            OutputCorrect = r.OutputCorrect,
            Parallel = r.Parallel,
            Reason = r.Reason,
            Rounds = r.Rounds,
            SequentialSeconds = r.SequentialSeconds,
            Speedup = r.Speedup,
            SpeedupLow = r.SpeedupCi?[0],
            SpeedupHigh = r.SpeedupCi?[1],
            BestCount = r.BestThreads,
            Pairs = r.Pairs,
            Noisy = r.Noisy,
            Superlinear = r.Superlinear,
            ExpertSpeedup = r.ExpertSpeedup,
            TokensInput = r.Tokens.Input,
            TokensOutput = r.Tokens.Output,
            CostUsd = r.CostUsd,
            Input = r.Provenance.Input,
            Agent = r.Provenance.Agent,
            Toolchain = r.Provenance.Toolchain,
            Hardware = r.Provenance.Hardware,
            KernelHash = r.Provenance.KernelHash,
            TraceId = r.TraceId,
            Attempts = ResultsDirectory.AttemptsFolder(r),
            ServedModel = r.Provenance.ServedModel,
            SystemFingerprint = r.Provenance.SystemFingerprint,
            KernelsmithVersion = r.Provenance.KernelsmithVersion,
            SpecHash = r.Provenance.SpecHash,
            Compiler = ToolchainColumns.Compiler(r.Provenance.Toolchain),
            Mpi = ToolchainColumns.Mpi(r.Provenance.Toolchain),
        };
    }

    /// <summary>The model's id in the sweep spec, from the experiment's id.</summary>
    public static string ModelIdOf(ExperimentRecord record) => ExperimentId.TryParse(record.Experiment, out var id) ? id.Model : record.Model;

    private static TValue? Number<TValue>(IReadOnlyDictionary<string, string> parameters, string name, Func<string, IFormatProvider, TValue> parse)
        where TValue : struct =>
        parameters.TryGetValue(name, out var text) ? parse(text, CultureInfo.InvariantCulture) : null;
}
