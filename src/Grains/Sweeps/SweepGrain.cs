using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Experiments;
using Kernelsmith.Grains.Telemetry;

namespace Kernelsmith.Grains.Sweeps;

/// <summary>A sweep's persisted state: its spec, kernels, experiments and the final records collected so far.</summary>
[GenerateSerializer, Alias("Kernelsmith.SweepState")]
public sealed class SweepState
{
    [Id(0)] public SweepSpec? Spec { get; set; }
    [Id(1)] public Dictionary<string, KernelDefinition> Kernels { get; set; } = [];
    [Id(2)] public List<ExperimentSpec> Experiments { get; set; } = [];
    [Id(3)] public List<ExperimentRecord> Records { get; set; } = [];
    [Id(4)] public HashSet<string> Recorded { get; set; } = [];
    [Id(5)] public long TokensSpent { get; set; }
    [Id(6)] public double CostSpent { get; set; }
    [Id(7)] public bool Cancelled { get; set; }
}

/// <summary>Expands a sweep into experiments, starts them, and collects one final record per experiment.</summary>
public sealed class SweepGrain(
    [PersistentState("sweep", StorageNames.Sweeps)] IPersistentState<SweepState> state) : Grain, ISweepGrain
{
    private SweepState S => state.State;

    public async Task StartAsync(SweepSpec spec, IReadOnlyList<KernelDefinition> kernels)
    {
        if (S.Spec is null)
        {
            S.Spec = spec;
            S.Kernels = kernels.ToDictionary(k => k.Id);
            S.Experiments = Expand(this.GetPrimaryKeyString(), spec, S.Kernels);
            await state.WriteStateAsync();
        }
        else if (S.Spec != spec && !SameSpec(S.Spec, spec))
        {
            throw new InvalidOperationException($"sweep '{this.GetPrimaryKeyString()}' was already started with a different spec");
        }

        if (!S.Cancelled)
        {
            await StartUnrecordedAsync();
        }
    }

    public async Task CancelAsync()
    {
        S.Cancelled = true;
        await state.WriteStateAsync();
    }

    public async Task ResumeAsync()
    {
        S.Cancelled = false;
        await state.WriteStateAsync();
        await StartUnrecordedAsync();
    }

    public Task<bool> IsCancelledAsync() => Task.FromResult(S.Cancelled);

    /// <summary>Starting is idempotent: experiments already recorded are left alone, the others (re)start.</summary>
    private async Task StartUnrecordedAsync()
    {
        using var activity = GrainsInstrumentation.StartSweep(this.GetPrimaryKeyString(), S.Experiments.Count);
        await Task.WhenAll(S.Experiments
            .Where(e => !S.Recorded.Contains(e.ExperimentId))
            .Select(e => GrainFactory.GetGrain<IExperimentGrain>(e.ExperimentId).StartAsync(e)));
    }

    public Task<KernelDefinition> GetKernelAsync(string kernelId) =>
        S.Kernels.TryGetValue(kernelId, out var kernel)
            ? Task.FromResult(kernel)
            : throw new KeyNotFoundException($"sweep '{this.GetPrimaryKeyString()}' has no kernel '{kernelId}'");

    public async Task<bool> RecordAsync(ExperimentRecord record)
    {
        if (!S.Recorded.Add(record.Experiment))
        {
            return false;
        }

        // The attempts (prompts, answers, logs) stay with the experiment; the sweep keeps the compact record.
        S.Records.Add(record with { Attempts = [] });
        await state.WriteStateAsync();
        return true;
    }

    public async Task<bool> ChargeAsync(TokenUsage tokens, double costUsd)
    {
        S.TokensSpent += tokens.Input + tokens.Output;
        S.CostSpent += costUsd;
        await state.WriteStateAsync();
        return WithinBudget();
    }

    public Task<bool> IsWithinBudgetAsync() => Task.FromResult(WithinBudget());

    private bool WithinBudget() => S.Spec?.Budget is not { } budget || budget.Allows(S.CostSpent, S.TokensSpent);

    public Task<SweepProgress> GetProgressAsync()
    {
        var byVerdict = S.Records.GroupBy(r => r.Verdict).ToDictionary(g => g.Key, g => g.Count());
        return Task.FromResult(new SweepProgress(
            this.GetPrimaryKeyString(), S.Experiments.Count, S.Records.Count, S.Experiments.Count - S.Records.Count, byVerdict, S.Cancelled));
    }

    public Task<IReadOnlyList<ExperimentRecord>> GetRecordsAsync(int from, int max)
    {
        IReadOnlyList<ExperimentRecord> page = S.Records.Skip(Math.Max(0, from)).Take(Math.Max(0, max)).ToList();
        return Task.FromResult(page);
    }

    /// <summary>The cross-product of the spec's lists, minus technologies a kernel does not support.</summary>
    public static List<ExperimentSpec> Expand(string sweepId, SweepSpec spec, IReadOnlyDictionary<string, KernelDefinition> kernels) =>
        (from kernel in spec.Kernels
         from technology in spec.Technologies
         where technology == Technologies.Auto || kernels[kernel].Technologies.Contains(technology)
         where spec.Runs(kernel, technology)
         from model in spec.Models
         from prompt in spec.Prompts
         from sample in Enumerable.Range(0, spec.Samples)
         select new ExperimentSpec(
             $"{sweepId}/{kernel}/{technology}/{model.Id}/{prompt}/{sample}",
             sweepId, kernel, model, technology, prompt, sample, spec.Repair, spec.Run,
             spec.Models.FirstOrDefault(m => m.Id == spec.Repair.Model), spec.Cache,
             spec.Templates?.FirstOrDefault(t => t.Name == prompt), spec.Verify, spec.Pools)).ToList();

    private static bool SameSpec(SweepSpec a, SweepSpec b) =>
        a.Name == b.Name && a.Kernels.SequenceEqual(b.Kernels) && a.Technologies.SequenceEqual(b.Technologies)
        && a.Models.SequenceEqual(b.Models) && a.Prompts.SequenceEqual(b.Prompts) && a.Samples == b.Samples;
}
