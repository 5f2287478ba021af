using System.Security.Cryptography;
using System.Text.Json;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Grains.Experiments;

namespace Kernelsmith.Grains.Kernels;

[GenerateSerializer, Alias("Kernelsmith.KernelState")]
public sealed class KernelState
{
    [Id(0)] public KernelDefinition? Kernel { get; set; }
}

/// <summary>
/// Holds one kernel definition under a key the silo computes from its whole content, never one a client names: two
/// sweeps with the same kernel share it, and a kernel that differs in any byte (a source, an input, the build) has
/// another key, so no sweep can change what another sweep's experiments run.
/// </summary>
public sealed class KernelGrain([PersistentState("kernel", StorageNames.Sweeps)] IPersistentState<KernelState> state) : Grain, IKernelGrain
{
    /// <summary>The content key of <paramref name="kernel"/>: its id and a SHA-256 of everything in it.</summary>
    public static string Key(KernelDefinition kernel) =>
        $"{kernel.Id}@{Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(kernel)))}";

    public async Task StoreAsync(KernelDefinition kernel)
    {
        if (Key(kernel) != this.GetPrimaryKeyString())
        {
            throw new ArgumentException($"kernel '{kernel.Id}' does not match the key '{this.GetPrimaryKeyString()}' it was stored under", nameof(kernel));
        }

        if (state.State.Kernel is null)
        {
            state.State.Kernel = kernel;
            await state.WriteStateAsync();
        }
    }

    public Task<KernelDefinition> GetAsync() =>
        state.State.Kernel is { } kernel
            ? Task.FromResult(kernel)
            : throw new KeyNotFoundException($"no kernel is stored under '{this.GetPrimaryKeyString()}'");
}
