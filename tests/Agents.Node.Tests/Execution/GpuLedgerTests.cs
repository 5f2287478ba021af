using Kernelsmith.Agents.Node.Execution;

namespace Kernelsmith.Agents.Node.Tests.Execution;

public sealed class GpuLedgerTests
{
    [Fact]
    public async Task Reserve_MoreJobsThanGpus_EachGetsADeviceOfItsOwnAndTheRestWait()
    {
        var ledger = new GpuLedger([0, 1]);

        using var first = await ledger.ReserveAsync(CancellationToken.None);
        var second = await ledger.ReserveAsync(CancellationToken.None);
        var third = ledger.ReserveAsync(CancellationToken.None);

        Assert.NotEqual(first.Device, second.Device);
        await Task.Delay(100);
        Assert.False(third.IsCompleted);
        second.Dispose();
        using var later = await third.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(second.Device, later.Device);
        Assert.Equal(later.Device.ToString(System.Globalization.CultureInfo.InvariantCulture), later.VisibleDevices);
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
