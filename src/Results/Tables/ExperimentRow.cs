using System.Globalization;
using System.Text.Json.Serialization;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Results.Tables;

/// <summary>One row of <c>tables/experiments</c>: one experiment, typed columns (docs/results.md).</summary>
public sealed class ExperimentRow : IRecordColumns
{
    [JsonPropertyName("experiment")] public string Experiment { get; set; } = "";
    [JsonPropertyName("sweep")] public string Sweep { get; set; } = "";
    [JsonPropertyName("kernel")] public string Kernel { get; set; } = "";
    [JsonPropertyName("technology")] public string Technology { get; set; } = "";
    [JsonPropertyName("technology_chosen_by_model")] public bool TechnologyChosenByModel { get; init; }
    [JsonPropertyName("model_id")] public string ModelId { get; init; } = "";
    [JsonPropertyName("model_label")] public string ModelLabel { get; init; } = "";
    [JsonPropertyName("provider")] public string Provider { get; set; } = "";
    [JsonPropertyName("simulated")] public bool Simulated { get; set; }
    [JsonPropertyName("requested_model")] public string? RequestedModel { get; init; }
    [JsonPropertyName("behaviour")] public string? Behaviour { get; init; }
    [JsonPropertyName("temperature")] public double? Temperature { get; init; }
    [JsonPropertyName("top_p")] public double? TopP { get; init; }
    [JsonPropertyName("max_tokens")] public int? MaxTokens { get; init; }
    [JsonPropertyName("seed")] public long? Seed { get; init; }
    [JsonPropertyName("prompt")] public string Prompt { get; set; } = "";
    [JsonPropertyName("prompt_hash")] public string PromptHash { get; set; } = "";
    [JsonPropertyName("sample")] public int Sample { get; set; }
    [JsonPropertyName("verdict")] public string Verdict { get; set; } = "";
    [JsonPropertyName("output_correct")] public bool? OutputCorrect { get; set; }
    [JsonPropertyName("parallel")] public bool? Parallel { get; set; }
    [JsonPropertyName("reason")] public string Reason { get; set; } = "";
    [JsonPropertyName("rounds")] public int Rounds { get; set; }
    [JsonPropertyName("sequential_seconds")] public double? SequentialSeconds { get; set; }
    [JsonPropertyName("speedup")] public double? Speedup { get; set; }
    [JsonPropertyName("speedup_low")] public double? SpeedupLow { get; set; }
    [JsonPropertyName("speedup_high")] public double? SpeedupHigh { get; set; }
    [JsonPropertyName("best_count")] public int? BestCount { get; init; }
    [JsonPropertyName("pairs")] public int? Pairs { get; set; }
    [JsonPropertyName("noisy")] public bool Noisy { get; set; }
    [JsonPropertyName("superlinear")] public bool Superlinear { get; set; }
    [JsonPropertyName("expert_speedup")] public double? ExpertSpeedup { get; set; }
    [JsonPropertyName("tokens_input")] public long TokensInput { get; set; }
    [JsonPropertyName("tokens_output")] public long TokensOutput { get; set; }
    [JsonPropertyName("cost_usd")] public double? CostUsd { get; set; }
    [JsonPropertyName("input")] public string Input { get; set; } = "";
    [JsonPropertyName("agent")] public string Agent { get; set; } = "";
    [JsonPropertyName("toolchain")] public string Toolchain { get; set; } = "";
    [JsonPropertyName("hardware")] public string Hardware { get; set; } = "";
    [JsonPropertyName("kernel_hash")] public string KernelHash { get; set; } = "";
    [JsonPropertyName("trace_id")] public string TraceId { get; set; } = "";
    [JsonPropertyName("attempts")] public string Attempts { get; set; } = "";
    [JsonPropertyName("served_model")] public string? ServedModel { get; set; }
    [JsonPropertyName("system_fingerprint")] public string? SystemFingerprint { get; set; }
    [JsonPropertyName("kernelsmith_version")] public string? KernelsmithVersion { get; set; }
    [JsonPropertyName("spec_hash")] public string? SpecHash { get; set; }
    [JsonPropertyName("compiler")] public string? Compiler { get; set; }
    [JsonPropertyName("mpi")] public string? Mpi { get; set; }

    public static ExperimentRow From(ExperimentRecord r)
    {
        var parameters = r.Provenance.ModelParameters;
        return RecordColumns.Fill(
            new ExperimentRow
            {
                TechnologyChosenByModel = r.TechnologyChosenByModel,
                ModelId = ModelIdOf(r),
                ModelLabel = r.Model,
                RequestedModel = parameters.GetValueOrDefault("model"),
                Behaviour = parameters.GetValueOrDefault("behaviour"),
                Temperature = Number(parameters, "temperature", double.Parse),
                TopP = Number(parameters, "top_p", double.Parse),
                MaxTokens = Number(parameters, "max_tokens", int.Parse),
                Seed = Number(parameters, "seed", long.Parse),
                BestCount = r.BestThreads,
            },
            r);
    }

    /// <summary>The model's id in the sweep spec, from the experiment's id.</summary>
    public static string ModelIdOf(ExperimentRecord record) => ExperimentId.TryParse(record.Experiment, out var id) ? id.Model : record.Model;

    private static TValue? Number<TValue>(IReadOnlyDictionary<string, string> parameters, string name, Func<string, IFormatProvider, TValue> parse)
        where TValue : struct =>
        parameters.TryGetValue(name, out var text) ? parse(text, CultureInfo.InvariantCulture) : null;
}
