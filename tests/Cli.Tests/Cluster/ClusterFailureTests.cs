using Kernelsmith.Contracts.Experiments;

namespace Kernelsmith.Cli.Tests.Cluster;

/// <summary>
/// Failure tests on a real three-silo Redis cluster with two agents: whatever dies, every experiment ends with
/// exactly one final record. Each test restores what it killed, so the order does not matter.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterFailureTests(ClusterFixture cluster)
{
    private static readonly TimeSpan s_sweepLimit = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task Agents_ReportCapabilitiesHardwareSanitizersAndLoad()
    {
        await cluster.WaitForAgentsAsync(2);

        var report = await cluster.CliAsync("agents", "--cluster", cluster.SiloUrl(2));

        var lines = report.Split('\n').Select(l => l.Trim()).ToList();
        Assert.Equal(2, lines.Count(l => l.StartsWith("technologies", StringComparison.Ordinal) && l.Contains("openmp", StringComparison.Ordinal) && l.Contains("mpi", StringComparison.Ordinal)));
        Assert.Equal(2, lines.Count(l => l.StartsWith("hardware", StringComparison.Ordinal) && l.Contains("socket(s) x", StringComparison.Ordinal) && l.Contains("NUMA", StringComparison.Ordinal)));
        Assert.Equal(2, lines.Count(l => l.StartsWith("sanitizers", StringComparison.Ordinal) && l.EndsWith("thread, memory", StringComparison.Ordinal)));
        Assert.Equal(2, lines.Count(l => l.StartsWith("load", StringComparison.Ordinal) && l.Contains("cores busy", StringComparison.Ordinal)));
        Assert.Equal(2, lines.Count(l => l.StartsWith("gcc", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Sweep_SiloKilledMidSweep_CompletesWithExactlyOneRecordPerExperiment()
    {
        var sweep = await cluster.SubmitAsync("silo-kill", samples: 200);
        await cluster.WaitForRecordedAsync(sweep, 10, TimeSpan.FromMinutes(3));

        var beforeKill = (await cluster.StatusAsync(sweep))!.Recorded;
        cluster.Kill("silo1");
        try
        {
            Assert.True(beforeKill < 150, $"the sweep was nearly over ({beforeKill} of 200) before the silo died");
            await cluster.WaitForRecordedAsync(sweep, 200, s_sweepLimit);
            await AssertCompleteAsync(sweep, 200, silo: 2);
        }
        finally
        {
            cluster.StartSilo(1);
            // The next test may use this silo: it must have joined, not be still starting.
            await cluster.WaitForSiloAsync(1);
        }
    }

    [Fact]
    public async Task Sweep_AgentKilledMidRun_JobsCompleteElsewhere()
    {
        var sweep = await cluster.SubmitAsync("agent-kill", samples: 60);
        await cluster.WaitForRecordedAsync(sweep, 10, TimeSpan.FromMinutes(3));

        cluster.Kill("agent-a");
        try
        {
            await cluster.WaitForRecordedAsync(sweep, 60, s_sweepLimit);
            // Experiments whose jobs were on the killed agent may end infra_error (9 of 60 in one fresh-machine run):
            // every one must still have exactly one record.
            var records = await AssertCompleteAsync(sweep, 60, silo: 0, correctShare: 0.75);
            Assert.Contains(records, r => r.Provenance.Agent == "agent-b");
        }
        finally
        {
            cluster.StartAgent("agent-a", silo: 0);
            await cluster.WaitForAgentsAsync(2);
        }
    }

    [Fact]
    public async Task Sweep_RedisRestartedMidSweep_ClusterRecoversAndCompletes()
    {
        var sweep = await cluster.SubmitAsync("redis-restart", samples: 60);
        await cluster.WaitForRecordedAsync(sweep, 10, TimeSpan.FromMinutes(3));

        cluster.StopRedis();
        await Task.Delay(TimeSpan.FromSeconds(2));
        cluster.StartRedis();
        await cluster.WaitForRecordedAsync(sweep, 60, s_sweepLimit);

        await AssertCompleteAsync(sweep, 60, silo: 0);
    }

    [Fact]
    public async Task Sweep_CancelledThenResumed_NothingRecordedIsRepeatedOrLost()
    {
        var sweep = await cluster.SubmitAsync("cancel-resume", samples: 200);
        await cluster.WaitForRecordedAsync(sweep, 5, TimeSpan.FromMinutes(3));

        // Straight through the API: a CLI process would take a second to start, and a quiet machine finishes quickly.
        using (var channel = Grpc.Net.Client.GrpcChannel.ForAddress(cluster.SiloUrl(0)))
        {
            var cancelled = await new Contracts.Protos.SweepService.SweepServiceClient(channel).CancelAsync(new Contracts.Protos.SweepRef { SweepId = sweep });
            Assert.True(cancelled.Cancelled);
        }

        await Task.Delay(TimeSpan.FromSeconds(5));
        var settled = (await cluster.StatusAsync(sweep))!.Recorded;
        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Equal(settled, (await cluster.StatusAsync(sweep))!.Recorded);
        Assert.True(settled < 200, "the sweep finished before it could be cancelled");
        Assert.Contains("cancelled", await cluster.CliAsync("status", sweep, "--cluster", cluster.SiloUrl(2)), StringComparison.Ordinal);

        await cluster.CliAsync("resume", sweep, "--cluster", cluster.SiloUrl(1));
        await cluster.WaitForRecordedAsync(sweep, 200, s_sweepLimit);

        await AssertCompleteAsync(sweep, 200, silo: 0);
    }

    [Fact]
    public async Task Sweep_ModelConcurrencyLimit_HoldsAcrossAllSilos()
    {
        await using var server = await Llm.FakeOpenAiServer.StartAsync();
        var expert = await File.ReadAllTextAsync(Path.Combine(Repository.Kernels, "gemm", "solutions", "openmp", "gemm.c"));
        server.DefaultAnswer = _ => $"```c\n{expert}\n```";
        server.AnswerDelay = TimeSpan.FromMilliseconds(400);

        var sweep = await cluster.SubmitAsync("model-quota", samples: 16,
            model: $"{{ id: gpt, provider: openai, endpoint: \"{server.Endpoint}\", model: m, concurrency: 2, temperature: 0.7 }}");
        await cluster.WaitForRecordedAsync(sweep, 16, s_sweepLimit);

        await AssertCompleteAsync(sweep, 16, silo: 1);
        Assert.Equal(16, server.Requests.Count);
        Assert.Equal(2, server.PeakInFlight);
    }

    private async Task<IReadOnlyList<ExperimentRecord>> AssertCompleteAsync(string sweep, int experiments, int silo, double correctShare = 0.9)
    {
        var status = await cluster.StatusAsync(sweep);
        Assert.Equal(experiments, status!.Total);
        Assert.Equal(experiments, status.Recorded);
        var records = await cluster.ResultsAsync(sweep, silo);
        Assert.Equal(experiments, records.Count);
        Assert.Equal(experiments, records.Select(r => r.Experiment).Distinct().Count());
        Assert.True(records.Count(r => r.Verdict == Verdict.Correct) >= experiments * correctShare,
            $"verdicts: {string.Join(", ", records.GroupBy(r => r.Verdict).Select(g => $"{g.Key} {g.Count()}"))}; why not correct: " +
            string.Join(" | ", records.Where(r => r.Verdict != Verdict.Correct).Select(r => r.Reason).Distinct().Take(5)));
        return records;
    }
}
