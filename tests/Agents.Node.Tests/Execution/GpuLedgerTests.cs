using Kernelsmith.Agents.Node.Execution;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Tests.Execution;

public sealed class GpuLedgerTests
{
    [Fact]
    public async Task Reserve_MoreJobsThanGpus_EachGetsADeviceOfItsOwnAndTheRestWait()
    {
        var ledger = new GpuLedger([new GpuDevice { Index = 0, Uuid = "GPU-aaaa" }, new GpuDevice { Index = 1 }]);

        using var first = await ledger.ReserveAsync(CancellationToken.None);
        var second = await ledger.ReserveAsync(CancellationToken.None);
        var third = ledger.ReserveAsync(CancellationToken.None);

        Assert.NotEqual(first.Device, second.Device);
        await Task.Delay(100);
        Assert.False(third.IsCompleted);
        second.Dispose();
        using var later = await third.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(second.Device, later.Device);
        // By UUID where nvidia-smi gave one, else by index.
        Assert.Equal(later.Device == 0 ? "GPU-aaaa" : "1", later.VisibleDevices);
    }

    [Fact]
    public async Task Reserve_AgentWithoutGpus_SaysSo()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new GpuLedger([]).ReserveAsync(CancellationToken.None));

        Assert.Contains("no GPU", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_NvidiaSmiSample_ReadsUtilisationAndMemory()
    {
        var sample = Assert.Single(GpuMonitor.Parse("1, 87, 40512\n"));

        Assert.Equal((1, 87.0, 40512L << 20), (sample.Index, sample.UtilizationPercent, sample.MemoryUsedBytes));
        Assert.Empty(GpuMonitor.Parse("[N/A], [N/A], [N/A]\n"));
    }
}
