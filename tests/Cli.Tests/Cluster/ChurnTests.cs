using System.Diagnostics;
using Grpc.Net.Client;
using Kernelsmith.Cli.Tests.Llm;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Protos;
using Xunit.Abstractions;

namespace Kernelsmith.Cli.Tests.Cluster;

/// <summary>
/// Churn, as a Kubernetes deployment sees it on rolling updates and node drains: silos 0 and 1 die in turn every 20 s
/// and come back, Redis restarts once, while a user follows the sweep through silo 2, which is never touched. Whatever
/// died, the sweep completes soon after the churn stops, with one record per experiment and no infrastructure verdicts.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ChurnTests(ClusterFixture cluster, ITestOutputHelper output)
{
    private const int Samples = 60;
    private const int Experiments = 2 * Samples;
    private const int Rounds = 6;
    private static readonly TimeSpan s_period = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan s_afterChurn = TimeSpan.FromMinutes(2);

    /// <summary>The experiments whose answers the model holds back until the churn is over.</summary>
    private const int HeldBack = 12;

    /// <summary>How long the churn may go on, past its six rounds, for a slow machine to reach the held-back answers.</summary>
    private const int MaxRounds = 18;

    /// <summary>Orleans' SiloStatus.Dead in the membership table.</summary>
    private const int SiloDead = 6;

    [Fact]
    public async Task Sweep_SilosKilledEvery20sAndRedisRestarted_CompletesSoonAfterWithOneRecordEach()
    {
        // Two models on a local OpenAI-compatible endpoint that answer all but the last few calls at once and hold those
        // until the churn is over: the sweep is still running when the churn ends, whatever the machine's speed, and the
        // churn goes on (at least six rounds) until everything else is recorded, so what is left after it is recovery.
        await using var model = await FakeOpenAiServer.StartAsync();
        var solution = await File.ReadAllTextAsync(Path.Combine(Repository.Kernels, "gemm", "solutions", "openmp", "gemm.c"));
        model.DefaultAnswer = _ => $"Here is the OpenMP version.\n\n```c\n{solution}\n```\n";
        model.HoldAfter(Experiments - HeldBack);
        var sweep = await cluster.SubmitAsync("churn-kill", Samples, [Model("a", model), Model("b", model)]);
        var watches = Path.Combine(cluster.Work, "churn-kill-watch");
        using var survivor = new CliProcess("watch", sweep, "--cluster", cluster.SiloUrl(2), "--out", Path.Combine(watches, "survivor"));
        // Through silos that die: the watch moves to the other one given, and back.
        using var roamer = new CliProcess("watch", sweep, "--cluster", $"{cluster.SiloUrl(0)},{cluster.SiloUrl(1)}", "--out", Path.Combine(watches, "roamer"));
        var clock = Stopwatch.StartNew();
        var statusFailures = new List<string>();
        try
        {
            var kills = 0;
            for (var round = 0; round < Rounds || (round < MaxRounds && await RecordedAsync(sweep) + model.Held < Experiments); round++)
            {
                await PollStatusAsync(sweep, s_period, statusFailures);
                var silo = round % 2;
                cluster.Kill($"silo{silo}");
                kills++;
                Log(clock, $"killed silo{silo}; recorded {await RecordedAsync(sweep)}, {model.Held} held back");
                cluster.StartSilo(silo);
                if (round == Rounds / 2)
                {
                    cluster.StopRedis();
                    await Task.Delay(TimeSpan.FromSeconds(2));
                    cluster.StartRedis();
                    Log(clock, "restarted redis");
                }
            }

            var churnEnded = clock.Elapsed;
            var atEnd = await RecordedAsync(sweep);
            Log(clock, $"churn over after {kills} kills; recorded {atEnd}, {model.Held} held back: releasing them");
            Assert.True(atEnd < Experiments, $"the sweep was over ({atEnd} of {Experiments}) before the churn ended");
            model.ReleaseHeld();

            await cluster.WaitForRecordedAsync(sweep, Experiments, s_afterChurn);
            Log(clock, $"complete {clock.Elapsed - churnEnded:mm\\:ss} after the churn");

            var records = await cluster.ResultsAsync(sweep, silo: 2);
            Assert.Equal(Experiments, records.Count);
            Assert.Equal(Experiments, records.Select(r => r.Experiment).Distinct().Count());
            Assert.DoesNotContain(records, r => r.Verdict == Verdict.InfraError);
            Assert.Empty(statusFailures);
            await AssertFollowedToTheEndAsync(survivor, Path.Combine(watches, "survivor"));
            await AssertFollowedToTheEndAsync(roamer, Path.Combine(watches, "roamer"));
        }
        finally
        {
            model.ReleaseHeld();
            await RestoreAsync();
        }
    }

    [Fact]
    public async Task Sweep_SilosStoppedWithSigterm_HandOverWithoutWaitingForFailureDetection()
    {
        var sweep = await cluster.SubmitAsync("churn-term", Samples / 2, [Model("a"), Model("b")]);
        using var channel = GrpcChannel.ForAddress(cluster.SiloUrl(2));
        var client = new SweepService.SweepServiceClient(channel);
        var clock = Stopwatch.StartNew();
        try
        {
            for (var round = 0; round < Rounds / 2; round++)
            {
                await Task.Delay(s_period);
                var silo = round % 2;
                var stopping = Stopwatch.StartNew();
                var exit = await cluster.TerminateAsync($"silo{silo}", TimeSpan.FromSeconds(45));
                Assert.True(exit == 0, $"silo{silo} exited with {exit} after SIGTERM: it did not shut down gracefully");

                // The silo told the cluster it left before it exited: nobody waits for failure detection (after a kill
                // the row stays active until the others have missed its probes for 15 s and more), and its grains
                // answer from another silo at once.
                Assert.Equal(SiloDead, cluster.MembershipStatus(silo));
                var answer = Stopwatch.StartNew();
                var status = await client.StatusAsync(new SweepRef { SweepId = sweep }, deadline: DateTime.UtcNow.AddMinutes(1));
                Log(clock, $"stopped silo{silo} in {stopping.Elapsed.TotalSeconds:F1} s; status answered {answer.Elapsed.TotalSeconds:F1} s later; recorded {status.Recorded}");

                // As a rolling update does: the next silo is stopped once this one serves again.
                cluster.StartSilo(silo);
                await cluster.WaitForSiloAsync(silo);
            }

            await cluster.WaitForRecordedAsync(sweep, Experiments / 2, s_afterChurn);
            Log(clock, "complete");
            var records = await cluster.ResultsAsync(sweep, silo: 2);
            Assert.Equal(Experiments / 2, records.Select(r => r.Experiment).Distinct().Count());
            Assert.Equal(Experiments / 2, records.Count);
            Assert.DoesNotContain(records, r => r.Verdict == Verdict.InfraError);
        }
        finally
        {
            await RestoreAsync();
        }
    }

    /// <summary>
    /// A simulated model of 1 s per call, one call at a time: a silo killed during a call must give its slot back, or
    /// the model's queue stops.
    /// </summary>
    private static string Model(string id) => $"{{ id: {id}, provider: sim, behaviour: expert, latency_ms: 1000, concurrency: 1 }}";

    /// <summary>A model on <paramref name="endpoint"/>, with slots enough for every held-back call to be waiting at once.</summary>
    private static string Model(string id, FakeOpenAiServer endpoint) =>
        $"{{ id: {id}, provider: openai, endpoint: {endpoint.Endpoint}, model: gpt-{id}, concurrency: {HeldBack * 2} }}";

    /// <summary>Asks silo 2, which is never touched, for the status every 2 s for <paramref name="period"/>; it must always answer.</summary>
    private async Task PollStatusAsync(string sweep, TimeSpan period, List<string> failures)
    {
        using var channel = GrpcChannel.ForAddress(cluster.SiloUrl(2));
        var client = new SweepService.SweepServiceClient(channel);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < period)
        {
            try
            {
                await client.StatusAsync(new SweepRef { SweepId = sweep }, deadline: DateTime.UtcNow.AddSeconds(30));
            }
            catch (Grpc.Core.RpcException e)
            {
                failures.Add($"{DateTime.UtcNow:HH:mm:ss} {e.Status.StatusCode}: {e.Status.Detail}");
            }

            await Task.Delay(TimeSpan.FromSeconds(2));
        }
    }

    private async Task<int> RecordedAsync(string sweep) => (await cluster.StatusAsync(sweep))?.Recorded ?? -1;

    private async Task AssertFollowedToTheEndAsync(CliProcess watch, string directory)
    {
        var exit = await watch.WaitForExitAsync(TimeSpan.FromMinutes(1));
        var lines = watch.Lines;
        Assert.True(exit == 0, $"watch exit {exit?.ToString() ?? "none (still running)"}:\n{string.Join('\n', lines.TakeLast(15))}");
        Assert.Contains(lines, l => l.Contains($"done {Experiments}/{Experiments}", StringComparison.Ordinal));
        // One line per experiment in results.jsonl: reconnecting never writes a record twice.
        var written = new Kernelsmith.Results.ResultsDirectory(directory).ReadRecords();
        Assert.Equal(Experiments, written.Count);
        Assert.Equal(Experiments, written.Select(r => r.Experiment).Distinct().Count());
    }

    /// <summary>Every part back and serving, for the next test.</summary>
    private async Task RestoreAsync()
    {
        for (var silo = 0; silo < 3; silo++)
        {
            if (!cluster.IsRunning($"silo{silo}"))
            {
                cluster.StartSilo(silo);
            }
        }

        if (!cluster.IsRunning("redis"))
        {
            cluster.StartRedis();
        }

        for (var silo = 0; silo < 3; silo++)
        {
            await cluster.WaitForSiloAsync(silo);
        }

        await cluster.WaitForAgentsAsync(2);
    }

    private void Log(Stopwatch clock, string line)
    {
        var text = $"{clock.Elapsed:mm\\:ss} {line}";
        output.WriteLine(text);
        File.AppendAllText(Path.Combine(cluster.Work, "churn.log"), text + "\n");
    }
}
