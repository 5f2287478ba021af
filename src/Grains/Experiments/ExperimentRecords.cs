using System.Globalization;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Llm;

namespace Kernelsmith.Grains.Experiments;

/// <summary>The final record of an experiment, assembled from its rounds: the last round's verdict and timings, everything spent.</summary>
public static class ExperimentRecords
{
    public static ExperimentRecord ToRecord(this Experiment experiment)
    {
        var spec = experiment.Spec;
        var last = experiment.Current;
        var technology = experiment.Technology;
        var best = last.Verdict == Verdict.Correct ? last.Runs.MaxBy(r => r.Speedup) : null;
        var costs = experiment.Rounds.Where(r => r.CostUsd is not null).Select(r => r.CostUsd!.Value).ToList();
        return new ExperimentRecord(
            spec.ExperimentId,
            spec.SweepId,
            spec.Kernel,
            spec.Model.DisplayName,
            technology,
            spec.Prompt,
            spec.Sample,
            last.Verdict ?? Verdict.InfraError,
            last.Reason,
            experiment.Rounds.Count,
            experiment.LastValue(r => r.SequentialSeconds),
            last.Runs,
            best?.Speedup,
            best is null ? null : technology == Technologies.Mpi ? best.Ranks : best.Threads,
            [.. experiment.Rounds.SelectMany(r => r.Findings)],
            experiment.Rounds.Aggregate(TokenUsage.None, (sum, r) => sum.Add(r.Tokens)),
            experiment.Trace.TraceId,
            new Provenance(
                spec.Model.IsSimulated,
                spec.Model.Provider,
                ModelParameters(spec.Model),
                experiment.Rounds[0].Asked.Count > 0 ? PromptLibrary.Hash(experiment.Rounds[0].Asked) : "",
                experiment.KernelHash,
                spec.Run.Input,
                experiment.AgentId ?? "",
                experiment.Last(r => r.Toolchain) ?? "",
                experiment.Last(r => r.Hardware) ?? "")
            {
                Calibration = experiment.Last(r => r.Calibration) is { Length: > 0 } calibration ? calibration : null,
                ServedModel = experiment.Last(r => r.ServedModel),
                SystemFingerprint = experiment.Last(r => r.SystemFingerprint),
                KernelsmithVersion = KernelsmithVersion.Current,
                SpecHash = spec.SpecHash,
            },
            experiment.Attempts)
        {
            CostUsd = costs.Count > 0 ? costs.Sum() : null,
            ExpertSpeedup = last.Runs.Max(r => r.ExpertSpeedup),
            Parallel = experiment.LastValue(r => r.Parallel),
            TechnologyChosenByModel = spec.Technology == Technologies.Auto,
            Jobs = [.. experiment.Rounds.SelectMany(r => r.Jobs)],
            ChangedFiles = last.ChangedFiles,
            Configurations = last.Configurations,
        };
    }

    private static Dictionary<string, string> ModelParameters(ModelSpec model)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string name, object? value)
        {
            if (value is not null)
            {
                parameters[name] = Convert.ToString(value, CultureInfo.InvariantCulture)!;
            }
        }

        Add("behaviour", model.Behaviour);
        Add("model", model.Model);
        Add("endpoint", model.Endpoint);
        Add("temperature", model.Temperature);
        Add("top_p", model.TopP);
        Add("max_tokens", model.MaxTokens);
        Add("seed", model.Seed);
        Add("recorded_model", model.RecordedFrom?.Model);
        Add("recorded_provider", model.RecordedFrom?.Provider);
        Add("recorded_date", model.RecordedFrom?.Date);
        Add("recorded_source", model.RecordedFrom?.Source);
        return parameters;
    }
}
