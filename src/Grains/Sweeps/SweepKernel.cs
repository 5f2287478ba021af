using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Grains.Kernels;

namespace Kernelsmith.Grains.Sweeps;

/// <summary>
/// What a sweep keeps of a kernel to expand its experiments: the kernel's content key (the kernel itself is in its
/// <see cref="KernelGrain"/>) and the technologies it offers.
/// </summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.SweepKernel")]
public sealed record SweepKernel(string Key, IReadOnlyList<string> Technologies)
{
    public static SweepKernel Of(KernelDefinition kernel) => new(KernelGrain.Key(kernel), kernel.Technologies);
}
