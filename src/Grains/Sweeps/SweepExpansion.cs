using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Grains.Sweeps;

/// <summary>A sweep's experiments, in the order the sweep admits and numbers them (the same on every activation).</summary>
public static class SweepExpansion
{
    /// <summary>The cross-product of the spec's lists, minus technologies a kernel does not support.</summary>
    public static List<ExperimentSpec> Expand(string sweepId, SweepSpec spec, IReadOnlyDictionary<string, KernelDefinition> kernels) =>
        Expand(sweepId, spec, kernels.ToDictionary(k => k.Key, k => SweepKernel.Of(k.Value)));

    /// <inheritdoc cref="Expand(string, SweepSpec, IReadOnlyDictionary{string, KernelDefinition})"/>
    public static List<ExperimentSpec> Expand(string sweepId, SweepSpec spec, IReadOnlyDictionary<string, SweepKernel> kernels)
    {
        var specHash = SweepIds.SpecHash(spec);
        return (from kernel in spec.Kernels
         from technology in spec.Technologies
         where technology == Technologies.Auto || kernels[kernel].Technologies.Contains(technology)
         where spec.Runs(kernel, technology)
         from model in spec.Models
         from prompt in spec.Prompts
         from sample in Enumerable.Range(0, spec.Samples)
         select new ExperimentSpec(
             new ExperimentId(sweepId, kernel, technology, model.Id, prompt, sample).ToString(),
             sweepId, kernel, model, technology, prompt, sample, spec.Repair, spec.Run,
             spec.Models.FirstOrDefault(m => m.Id == spec.Repair.Model), spec.Cache,
             spec.Templates?.FirstOrDefault(t => t.Name == prompt), spec.Verify, spec.Pools, specHash, kernels[kernel].Key)).ToList();
    }
}
