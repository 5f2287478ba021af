using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Contracts.Experiments;

/// <summary>
/// The catalog expert solution's speedup at one configuration, measured once per sweep, kernel, technology, input,
/// agent and count through the same paired protocol as every candidate: the "vs expert" baseline.
/// </summary>
public interface IExpertTimingGrain : IGrainWithStringKey
{
    /// <summary>Measures the expert solution against the sequential reference on <paramref name="agent"/> if not done yet; null when the catalog has none or it failed.</summary>
    Task<PairedTiming?> GetAsync(KernelDefinition kernel, string technology, RunSettings run, AgentInfo agent, int threads, int ranks);
}
