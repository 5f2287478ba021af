using Kernelsmith.Contracts.Kernels;

namespace Kernelsmith.Contracts.Experiments;

/// <summary>The output and time of a kernel's sequential reference on one input, measured once per agent.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.ReferenceResult")]
public sealed record ReferenceResult(
    string Stdout,
    IReadOnlyList<CodeFile> OutputFiles,
    double MedianSeconds,
    IReadOnlyList<double> AllSeconds,
    string Toolchain,
    string? Error);

/// <summary>Keyed by kernel hash, input set and agent: speedups compare times taken on the same machine.</summary>
public interface IReferenceGrain : IGrainWithStringKey
{
    /// <summary>Builds and runs the sequential reference on <paramref name="agent"/> if not done yet, and returns its output and median time.</summary>
    Task<ReferenceResult> GetAsync(KernelDefinition kernel, string input, Agents.AgentInfo agent, int repetitions, double timeoutSeconds);
}
