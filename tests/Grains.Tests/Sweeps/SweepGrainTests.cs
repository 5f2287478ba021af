using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Experiments;
using Kernelsmith.Grains.Llm;
using Kernelsmith.Grains.Sweeps;
using Kernelsmith.Grains.Tests.Experiments;
using Orleans.Runtime;

namespace Kernelsmith.Grains.Tests.Sweeps;

/// <summary>The sweep on an in-process cluster: each record kept once, the admission window, sweeps taking turns for a model.</summary>
[Collection(ExperimentClusterCollection.Name)]
public sealed class SweepGrainTests(ExperimentCluster fixture)
{
    private static readonly KernelDefinition s_gemm = TestCatalog.Load().TryGet("gemm", out var gemm) ? gemm : throw new InvalidOperationException("no gemm");

    [Fact]
    public async Task RecordAsync_SameExperimentReportedTwice_IsRecordedOnce()
    {
        var sweep = fixture.Grains.GetGrain<ISweepGrain>("idempotent");
        // The experiment itself waits on its (slow) model all along: the test reports for it.
        await sweep.StartAsync(Spec("idempotent", samples: 1, new ModelSpec("slow", ModelProviders.Sim, Behaviour: SimModel.Expert, LatencyMs: 600_000)), [s_gemm]);
        var record = Sample("idempotent/gemm/openmp/slow/plain/0");

        var first = await sweep.RecordAsync(record);
        var second = await sweep.RecordAsync(record with { Reason = "a retried report" });

        Assert.True(first);
        Assert.False(second);
        var records = await sweep.GetRecordsAsync(0, 10);
        Assert.Equal("", Assert.Single(records).Reason);
        var progress = await sweep.GetProgressAsync();
        Assert.Equal(1, progress.Recorded);
        Assert.True(progress.IsComplete);
        Assert.Equal(0, progress.Running);
    }

    [Fact]
    public async Task GetRecordsAsync_MoreRecordsThanAPageHolds_ReturnsEveryOneInRecordingOrderFromAnyPoint()
    {
        var sweep = fixture.Grains.GetGrain<ISweepGrain>("paged");
        var count = 2 * SweepRecordsGrain.Size + 5;
        // The experiments wait on their (slow) model all along: the test reports for them, last sample first.
        await sweep.StartAsync(Spec("paged", samples: count, new ModelSpec("slow", ModelProviders.Sim, Behaviour: SimModel.Expert, LatencyMs: 600_000)) with { MaxActive = 1 }, [s_gemm]);
        var order = Enumerable.Range(0, count).Reverse().Select(i => $"paged/gemm/openmp/slow/plain/{i}").ToList();
        foreach (var experiment in order)
        {
            Assert.True(await sweep.RecordAsync(Sample(experiment)));
        }

        Assert.Equal(order, (await sweep.GetRecordsAsync(0, 1000)).Select(r => r.Experiment));
        Assert.Equal(order.Skip(SweepRecordsGrain.Size - 3).Take(10), (await sweep.GetRecordsAsync(SweepRecordsGrain.Size - 3, 10)).Select(r => r.Experiment));
        Assert.Empty(await sweep.GetRecordsAsync(count, 10));
        Assert.True((await sweep.GetProgressAsync()).IsComplete);
    }

    [Fact]
    public async Task RecordAsync_ExperimentNotInTheSweep_FailsNamingIt()
    {
        var sweep = fixture.Grains.GetGrain<ISweepGrain>("strangers");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => sweep.RecordAsync(Sample("strangers/gemm/openmp/m/plain/0")));

        Assert.Contains("sweep 'strangers' has no experiment 'strangers/gemm/openmp/m/plain/0'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_MaxActive_KeepsAtMostThatManyActiveAndRecordsEveryExperimentOnce()
    {
        var sweep = fixture.Grains.GetGrain<ISweepGrain>("window");
        var management = fixture.Grains.GetGrain<IManagementGrain>(0);
        var spec = Spec("window", samples: 24, new ModelSpec("expert", ModelProviders.Sim, Behaviour: SimModel.Expert, LatencyMs: 50)) with { MaxActive = 3 };
        int mostRunning = 0, mostActivations = 0;

        await sweep.StartAsync(spec, [s_gemm]);
        await Eventually.HoldsAsync(async () =>
        {
            var progress = await sweep.GetProgressAsync();
            // This sweep's experiments only: other tests' share the cluster.
            var activations = (await management.GetDetailedGrainStatistics())
                .Count(s => s.GrainType.Contains(nameof(ExperimentGrain), StringComparison.Ordinal) && s.GrainId.Key.ToString()!.StartsWith("window/", StringComparison.Ordinal));
            mostRunning = Math.Max(mostRunning, progress.Running);
            mostActivations = Math.Max(mostActivations, activations);
            return progress.IsComplete;
        }, TimeSpan.FromMinutes(4), "24 records");

        Assert.Equal(3, mostRunning);
        // Finished experiments deactivate a moment after they record: a few more than the window may linger.
        Assert.InRange(mostActivations, 1, 6);
        var records = await sweep.GetRecordsAsync(0, 100);
        Assert.Equal(24, records.Select(r => r.Experiment).Distinct().Count());
        Assert.All(records, r => Assert.Equal(Verdict.Correct, r.Verdict));
    }

    [Fact]
    public async Task StartAsync_SmallSweepAfterALargeOne_TakesTurnsForTheModelAndFinishesFirst()
    {
        var model = new ModelSpec("shared", ModelProviders.Sim, Behaviour: SimModel.Expert, LatencyMs: 1500, Limits: ModelLimits.Default with { Concurrency = 1 });
        var quota = fixture.Grains.GetGrain<Contracts.Llm.IModelQuotaGrain>(ModelGateway.QuotaKey(model));
        var large = fixture.Grains.GetGrain<ISweepGrain>("large");
        var small = fixture.Grains.GetGrain<ISweepGrain>("small");

        await large.StartAsync(Spec("large", samples: 12, model), [s_gemm]);
        await Eventually.HoldsAsync(async () => (await quota.GetUsageAsync()).Waiting >= 10, TimeSpan.FromMinutes(1), "the large sweep to queue for the model");
        await small.StartAsync(Spec("small", samples: 3, model), [s_gemm]);
        await Eventually.HoldsAsync(async () => (await small.GetProgressAsync()).IsComplete, TimeSpan.FromMinutes(4), "the small sweep");

        // Served first come, first served, the small sweep would wait for all 12 generations of the large one.
        var largeDone = (await large.GetProgressAsync()).Recorded;
        Assert.True(largeDone <= 8, $"the large sweep had recorded {largeDone} of 12 when the small one finished");
        Assert.Equal(1, (await quota.GetUsageAsync()).Peak);
    }

    internal static SweepSpec Spec(string name, int samples, ModelSpec model) => new(
        name, ["gemm"], [Technologies.OpenMp], [model], [PromptLibrary.Plain], samples, new RepairSettings(0),
        new RunSettings("tiny", [1], [1], 1, 30, 120) { MaxPairs = 1, Warmups = 0, Expert = false });

    /// <summary>A final record as an experiment of sweep <c>s</c> would report it.</summary>
    private static ExperimentRecord Sample(string experiment) => new(
        experiment, "s", "gemm", "m (simulated: sim expert)", "openmp", "plain", 0, Verdict.Correct, "",
        1, 0.5, [new RunMeasurement(1, 1, 0.5, 3, [0.5, 0.51, 0.49], 1.0)],
        1.0, 1, [], new TokenUsage(10, 20), "0123456789abcdef0123456789abcdef",
        new Provenance(true, "sim", new Dictionary<string, string> { ["behaviour"] = "expert" }, "ph", "kh", "tiny", "agent-1", "gcc 12", "cpu"),
        []);
}
