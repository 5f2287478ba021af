using Kernelsmith.Contracts.Kernels;

namespace Kernelsmith.Contracts.Experiments;

/// <summary>
/// The output of a kernel's sequential reference on one input, computed once per agent, and its artifact there; its
/// times are only a first look (untimed runs): speedups come from paired measurements, see <see cref="PairedTiming"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.ReferenceResult")]
public sealed record ReferenceResult(
    string Stdout,
    IReadOnlyList<CodeFile> OutputFiles,
    double MedianSeconds,
    IReadOnlyList<double> AllSeconds,
    string Toolchain,
    string? Error)
{
    /// <summary>The reference's build in the agent's artifact cache: the baseline of every paired measurement there.</summary>
    [Id(6)]
    public string ArtifactId { get; init; } = "";
}

/// <summary>Keyed by kernel hash, input set and agent: speedups compare times taken on the same machine.</summary>
public interface IReferenceGrain : IGrainWithStringKey
{
    /// <summary>Builds and runs the sequential reference on <paramref name="agent"/> if not done yet, and returns its output and artifact.</summary>
    Task<ReferenceResult> GetAsync(KernelDefinition kernel, string input, Agents.AgentInfo agent, int repetitions, double timeoutSeconds);
}
