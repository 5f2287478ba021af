using Kernelsmith.Agents.Node.Execution;

namespace Kernelsmith.Agents.Node.Tests.Execution;

public sealed class CoreLedgerTests
{
    [Fact]
    public async Task ReserveAsync_ConcurrentJobs_GetDisjointCoreIds()
    {
        var ledger = new CoreLedger([4, 5, 6, 7]);

        using var timing = await ledger.ReserveAsync(3, CancellationToken.None);
        using var build = await ledger.ReserveAsync(1, CancellationToken.None);

        Assert.Equal([4, 5, 6], timing.Cores);
        Assert.Equal([7], build.Cores);
        Assert.Equal(4, ledger.Busy);
    }

    [Fact]
    public async Task ReserveAsync_WhileTimingRunHoldsTheCores_WaitsForTheirRelease()
    {
        var ledger = new CoreLedger([0, 1]);
        var timing = await ledger.ReserveAsync(2, CancellationToken.None);

        var waiting = ledger.ReserveAsync(1, CancellationToken.None);
        await Task.Delay(100);
        Assert.False(waiting.IsCompleted);

        timing.Dispose();
        using var build = await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal([0], build.Cores);
    }

    [Fact]
    public async Task ReserveAsync_LargeRequestQueuedFirst_IsServedBeforeLaterSmallOnes()
    {
        var ledger = new CoreLedger([0, 1]);
        var first = await ledger.ReserveAsync(1, CancellationToken.None);

        var timing = ledger.ReserveAsync(2, CancellationToken.None);
        var later = ledger.ReserveAsync(1, CancellationToken.None);
        await Task.Delay(100);
        Assert.False(later.IsCompleted, "a small job overtook the waiting timing run");

        first.Dispose();
        using (var owned = await timing.WaitAsync(TimeSpan.FromSeconds(5)))
        {
            Assert.Equal([0, 1], owned.Cores);
            Assert.False(later.IsCompleted);
        }

        using var last = await later.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Single(last.Cores);
    }

    [Fact]
    public async Task ReserveAsync_MoreCoresThanTheMachineHas_GetsThemAll()
    {
        var ledger = new CoreLedger([0, 1]);

        using var all = await ledger.ReserveAsync(16, CancellationToken.None);

        Assert.Equal([0, 1], all.Cores);
    }

    [Theory]
    [InlineData("0-3,8,10-11", new[] { 0, 1, 2, 3, 8, 10, 11 })]
    [InlineData("5", new[] { 5 })]
    [InlineData(" 2 , 0 ", new[] { 0, 2 })]
    public void TryParse_CpuList_GivesEachCpuOnce(string text, int[] expected)
    {
        Assert.True(CpuList.TryParse(text, out var cpus));
        Assert.Equal(expected, cpus);
        Assert.Equal(string.Join(",", expected), CpuList.Format(cpus));
    }

    [Theory]
    [InlineData("")]
    [InlineData("3-1")]
    [InlineData("a,b")]
    [InlineData("-1")]
    public void TryParse_Nonsense_IsRefused(string text) => Assert.False(CpuList.TryParse(text, out _));
}
