using System.Diagnostics;
using Kernelsmith.Contracts.Llm;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Tests.Experiments;
using Microsoft.Extensions.DependencyInjection;

namespace Kernelsmith.Grains.Tests.Llm;

/// <summary>
/// The model quota on an in-process cluster: callers without a slot wait in the grain's queue and are granted the
/// slot when one is released, waiting sweeps take turns, and a waiter that stops asking loses its place.
/// </summary>
[Collection(ExperimentClusterCollection.Name)]
public sealed class ModelQuotaGrainTests(ExperimentCluster fixture)
{
    private static readonly ModelLimits s_one = ModelLimits.Default with { Concurrency = 1 };
    private static readonly TimeSpan s_long = TimeSpan.FromSeconds(25);

    [Fact]
    public async Task AcquireAsync_SlotReleased_WaiterIsGrantedWithinTheSameCall()
    {
        var quota = Quota();
        Assert.True(await quota.AcquireAsync("held", "s", s_one, s_long));

        var waiting = quota.AcquireAsync("waiter", "s", s_one, s_long);
        await WaitForWaitingAsync(quota, 1);
        Assert.False(waiting.IsCompleted);
        var clock = Stopwatch.StartNew();
        await quota.ReleaseAsync("held", 0);

        Assert.True(await waiting);
        Assert.True(clock.Elapsed < s_long / 5, $"granted {clock.Elapsed} after the release: the waiter was not woken by it");
        Assert.Equal(new QuotaUsage(1, 1, 0) { Calls = 1 }, await quota.GetUsageAsync());
    }

    [Fact]
    public async Task AcquireAsync_NoSlotWithinMaxWait_ReturnsFalseAndKeepsThePlace()
    {
        var quota = Quota();
        Assert.True(await quota.AcquireAsync("held", "s", s_one, s_long));

        Assert.False(await quota.AcquireAsync("first", "s", s_one, TimeSpan.FromMilliseconds(300)));
        var second = quota.AcquireAsync("second", "s", s_one, s_long);
        await WaitForWaitingAsync(quota, 2);
        var first = quota.AcquireAsync("first", "s", s_one, s_long);
        await quota.ReleaseAsync("held", 0);

        Assert.True(await first);
        Assert.False(second.IsCompleted, "the later waiter took the slot of the one that asked again");
        await quota.ReleaseAsync("first", 0);
        Assert.True(await second);
        Assert.Equal(1, (await quota.GetUsageAsync()).Peak);
    }

    [Fact]
    public async Task AcquireAsync_WaiterThatNeverAsksAgain_LosesItsPlace()
    {
        var quota = Quota();
        Assert.True(await quota.AcquireAsync("held", "s", s_one, s_long));
        Assert.False(await quota.AcquireAsync("gone", "s", s_one, TimeSpan.FromMilliseconds(200)));

        var alive = quota.AcquireAsync("alive", "s", s_one, s_long);
        await Task.Delay(TimeSpan.FromSeconds(6));
        await quota.ReleaseAsync("held", 0);

        Assert.True(await alive);
        Assert.Equal(0, (await quota.GetUsageAsync()).Waiting);
    }

    [Fact]
    public async Task AcquireAsync_SmallSweepQueuedBehindALargeOne_GetsEveryOtherSlot()
    {
        var quota = Quota();
        Assert.True(await quota.AcquireAsync("held", "large", s_one, s_long));
        var waiters = new List<(string Sweep, string Lease, Task<bool> Granted)>();
        for (var i = 0; i < 6; i++)
        {
            waiters.Add(("large", $"large-{i}", quota.AcquireAsync($"large-{i}", "large", s_one, s_long)));
        }

        await WaitForWaitingAsync(quota, 6);
        for (var i = 0; i < 2; i++)
        {
            waiters.Add(("small", $"small-{i}", quota.AcquireAsync($"small-{i}", "small", s_one, s_long)));
        }

        await WaitForWaitingAsync(quota, 8);
        var order = new List<string>();
        var holder = "held";
        while (order.Count < waiters.Count)
        {
            await quota.ReleaseAsync(holder, 0);
            var granted = await Task.WhenAny(waiters.Where(w => !order.Contains(w.Lease)).Select(w => w.Granted));
            Assert.True(await granted);
            var next = waiters.Single(w => w.Granted == granted);
            order.Add(next.Lease);
            holder = next.Lease;
            Assert.Equal(1, (await quota.GetUsageAsync()).InFlight);
        }

        // FIFO would serve all six of the large sweep first.
        Assert.Equal(["large", "small", "large", "small", "large", "large", "large", "large"], order.Select(l => l.Split('-')[0]));
    }

    [Fact]
    public async Task ReleaseAsync_CallsEndedAndFailed_CountedForTheClusterPage()
    {
        var quota = Quota();
        Assert.True(await quota.AcquireAsync("refused", "s", s_one, s_long));
        await quota.ReleaseAsync("refused", 0, failed: true);
        Assert.True(await quota.AcquireAsync("answered", "s", s_one, s_long));
        await quota.ReleaseAsync("answered", 120);
        // A lease given back twice (a retried release) is one call.
        await quota.ReleaseAsync("answered", 120);

        var usage = await quota.GetUsageAsync();

        Assert.Equal(2, usage.Calls);
        Assert.Equal(1, usage.Failed);
        Assert.Equal(0, usage.RateLimitWaits);
    }

    [Fact]
    public async Task AcquireAsync_RequestsPerMinuteReached_CountsTheWaitAndSaysUntilWhen()
    {
        var quota = Quota();
        var onePerMinute = s_one with { RequestsPerMinute = 1 };
        Assert.True(await quota.AcquireAsync("first", "s", onePerMinute, s_long));
        await quota.ReleaseAsync("first", 0);

        Assert.False(await quota.AcquireAsync("second", "s", onePerMinute, TimeSpan.FromMilliseconds(300)));

        var usage = await quota.GetUsageAsync();
        Assert.Equal(1, usage.RateLimitWaits);
        Assert.NotNull(usage.RateLimitedUntil);
        Assert.InRange(usage.RateLimitedUntil!.Value - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1));
    }

    /// <summary>
    /// A fresh quota, called from inside a silo as the model gateway calls it: calls made one after the other arrive in
    /// that order (through the test cluster's client gateway a re-ask could arrive after the release it preceded).
    /// </summary>
    private IModelQuotaGrain Quota() =>
        fixture.PrimaryServices.GetRequiredService<IGrainFactory>()
            .GetGrain<IModelQuotaGrain>("test:" + Guid.NewGuid().ToString("n"));

    private static Task WaitForWaitingAsync(IModelQuotaGrain quota, int waiting) => Eventually.HoldsAsync(
        async () => (await quota.GetUsageAsync()).Waiting == waiting, TimeSpan.FromSeconds(20), $"{waiting} waiters in the quota's queue");
}
