using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Tests.Experiments;

namespace Kernelsmith.Grains.Tests.Kernels;

/// <summary>Kernels stored by content: experiments read theirs by key, and no sweep can change another sweep's kernel.</summary>
[Collection(ExperimentClusterCollection.Name)]
public sealed class KernelGrainTests(ExperimentCluster fixture)
{
    private static readonly KernelDefinition s_gemm = TestCatalog.Load().TryGet("gemm", out var gemm) ? gemm : throw new InvalidOperationException("no gemm");

    [Fact]
    public async Task Store_SameKernelTwice_ReadBackWholeUnderOneKey()
    {
        var key = KernelGrain.Key(s_gemm);
        await fixture.Grains.GetGrain<IKernelGrain>(key).StoreAsync(s_gemm);
        await fixture.Grains.GetGrain<IKernelGrain>(key).StoreAsync(s_gemm);

        var read = await fixture.Grains.GetGrain<IKernelGrain>(key).GetAsync();

        Assert.Equal(s_gemm.Id, read.Id);
        Assert.Equal(s_gemm.ContentHash, read.ContentHash);
        Assert.Equal(s_gemm.Sources.Select(f => f.Content), read.Sources.Select(f => f.Content));
        Assert.Equal(key, KernelGrain.Key(read));
    }

    [Fact]
    public async Task Store_KernelChangedInOneByteUnderTheOriginalsKey_RefusedAndTheOriginalKept()
    {
        var key = KernelGrain.Key(s_gemm);
        await fixture.Grains.GetGrain<IKernelGrain>(key).StoreAsync(s_gemm);
        // Same id and same claimed folder hash, one source changed: what a hostile submission would try.
        var forged = s_gemm with { Sources = [.. s_gemm.Sources.Select((f, i) => i == 0 ? f with { Content = f.Content + "\n/* changed */" } : f)] };

        var error = await Assert.ThrowsAsync<ArgumentException>(() => fixture.Grains.GetGrain<IKernelGrain>(key).StoreAsync(forged));

        Assert.Contains("does not match the key", error.Message, StringComparison.Ordinal);
        Assert.NotEqual(key, KernelGrain.Key(forged));
        Assert.DoesNotContain("/* changed */", (await fixture.Grains.GetGrain<IKernelGrain>(key).GetAsync()).Sources[0].Content, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_NothingStored_SaysWhichKeyIsMissing()
    {
        var error = await Assert.ThrowsAsync<KeyNotFoundException>(() => fixture.Grains.GetGrain<IKernelGrain>("gemm@absent").GetAsync());

        Assert.Contains("gemm@absent", error.Message, StringComparison.Ordinal);
    }
}
