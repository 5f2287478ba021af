using Orleans.Concurrency;

namespace Kernelsmith.Contracts.Kernels;

/// <summary>
/// A kernel definition stored once under its content key (see <c>KernelGrain.Key</c>): a sweep stores its kernels
/// when it starts, and each experiment reads its own by the key its spec carries, without asking the sweep.
/// </summary>
public interface IKernelGrain : IGrainWithStringKey
{
    /// <summary>Stores the kernel; storing it again is a no-op. A kernel whose content does not match the key is refused.</summary>
    Task StoreAsync(KernelDefinition kernel);

    /// <summary>Returns the stored kernel.</summary>
    [AlwaysInterleave]
    Task<KernelDefinition> GetAsync();
}
