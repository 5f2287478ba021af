using Kernelsmith.Cli.Embedded;
using Kernelsmith.Cli.Tests.Cluster;
using Kernelsmith.Cli.Tests.Results;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Experiments;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Llm;
using Orleans.Runtime;

namespace Kernelsmith.Cli.Tests.Embedded;

public sealed class SweepGrainTests
{
    private static readonly KernelDefinition s_gemm = KernelCatalog.LoadFolder(Path.Combine(Repository.Kernels, "gemm"));

    [Fact]
    public async Task RecordAsync_SameExperimentReportedTwice_IsRecordedOnce()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(Directory.CreateTempSubdirectory("kernelsmith-sweep-").FullName, CancellationToken.None, startAgent: false);
        var sweep = cluster.Grains.GetGrain<ISweepGrain>("idempotent");
        // The experiment itself waits on its (slow) model all along: the test reports for it.
        await sweep.StartAsync(Spec("idempotent", samples: 1, new ModelSpec("slow", ModelProviders.Sim, Behaviour: SimModel.Expert, LatencyMs: 600_000)), [s_gemm]);
        var record = ResultsDirectoryTests.Sample("idempotent/gemm/openmp/slow/plain/0");

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
    public async Task RecordAsync_ExperimentNotInTheSweep_FailsNamingIt()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(Directory.CreateTempSubdirectory("kernelsmith-sweep-").FullName, CancellationToken.None, startAgent: false);
        var sweep = cluster.Grains.GetGrain<ISweepGrain>("strangers");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => sweep.RecordAsync(ResultsDirectoryTests.Sample("strangers/gemm/openmp/m/plain/0")));

        Assert.Contains("sweep 'strangers' has no experiment 'strangers/gemm/openmp/m/plain/0'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_MaxActive_KeepsAtMostThatManyActiveAndRecordsEveryExperimentOnce()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(Directory.CreateTempSubdirectory("kernelsmith-sweep-").FullName, CancellationToken.None);
        var sweep = cluster.Grains.GetGrain<ISweepGrain>("window");
        var management = cluster.Grains.GetGrain<IManagementGrain>(0);
        var spec = Spec("window", samples: 24, new ModelSpec("expert", ModelProviders.Sim, Behaviour: SimModel.Expert, LatencyMs: 50)) with { MaxActive = 3 };
        int mostRunning = 0, mostActivations = 0;

        await sweep.StartAsync(spec, [s_gemm]);
        await ClusterFixture.WaitUntilAsync(async () =>
        {
            var progress = await sweep.GetProgressAsync();
            var activations = (await management.GetSimpleGrainStatistics())
                .Where(s => s.GrainType.Contains(nameof(ExperimentGrain), StringComparison.Ordinal)).Sum(s => s.ActivationCount);
            mostRunning = Math.Max(mostRunning, progress.Running);
            mostActivations = Math.Max(mostActivations, activations);
            return progress.IsComplete;
        }, TimeSpan.FromMinutes(4), "24 records");

        Assert.Equal(3, mostRunning);
        // Finished experiments deactivate a moment after they record: a few more than the window may linger.
        Assert.InRange(mostActivations, 1, 6);
        var records = await sweep.GetRecordsAsync(0, 100);
        Assert.Equal(24, records.Select(r => r.Experiment).Distinct().Count());
        Assert.All(records, r => Assert.Equal(Contracts.Experiments.Verdict.Correct, r.Verdict));
    }

    [Fact]
    public async Task StartAsync_SmallSweepAfterALargeOne_TakesTurnsForTheModelAndFinishesFirst()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(Directory.CreateTempSubdirectory("kernelsmith-sweep-").FullName, CancellationToken.None);
        var model = new ModelSpec("shared", ModelProviders.Sim, Behaviour: SimModel.Expert, LatencyMs: 1500, Limits: ModelLimits.Default with { Concurrency = 1 });
        var quota = cluster.Grains.GetGrain<Contracts.Llm.IModelQuotaGrain>(ModelGateway.QuotaKey(model));
        var large = cluster.Grains.GetGrain<ISweepGrain>("large");
        var small = cluster.Grains.GetGrain<ISweepGrain>("small");

        await large.StartAsync(Spec("large", samples: 12, model), [s_gemm]);
        await ClusterFixture.WaitUntilAsync(async () => (await quota.GetUsageAsync()).Waiting >= 10, TimeSpan.FromMinutes(1), "the large sweep to queue for the model");
        await small.StartAsync(Spec("small", samples: 3, model), [s_gemm]);
        await ClusterFixture.WaitUntilAsync(async () => (await small.GetProgressAsync()).IsComplete, TimeSpan.FromMinutes(4), "the small sweep");

        // Served first come, first served, the small sweep would wait for all 12 generations of the large one.
        var largeDone = (await large.GetProgressAsync()).Recorded;
        Assert.True(largeDone <= 8, $"the large sweep had recorded {largeDone} of 12 when the small one finished");
        Assert.Equal(1, (await quota.GetUsageAsync()).Peak);
    }

    internal static SweepSpec Spec(string name, int samples, ModelSpec model) => new(
        name, ["gemm"], [Technologies.OpenMp], [model], [PromptLibrary.Plain], samples, new RepairSettings(0),
        new RunSettings("tiny", [1], [1], 1, 30, 120) { MaxPairs = 1, Warmups = 0, Expert = false });
}
