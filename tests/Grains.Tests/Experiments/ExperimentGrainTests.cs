using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Experiments;
using Kernelsmith.Grains.Scheduling;
using Kernelsmith.Grains.Sweeps;
using Microsoft.Extensions.DependencyInjection;

namespace Kernelsmith.Grains.Tests.Experiments;

/// <summary>
/// The experiment grain on an in-process cluster: real sweep, experiment and reference grains, a fake agent and a
/// scripted model. Each test runs a sweep of its own and reads what a user reads: the sweep's records and the attempts.
/// </summary>
[Collection(ExperimentClusterCollection.Name)]
public sealed class ExperimentGrainTests(ExperimentCluster fixture)
{
    private static readonly KernelDefinition s_gemm = TestCatalog.Load().TryGet("gemm", out var gemm) ? gemm : throw new InvalidOperationException("no gemm in the catalog");
    private static readonly TimeSpan s_patience = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task Sweep_AnswerThatBuildsAndMatches_RecordsCorrectWithTheSpeedupTheRunsShow()
    {
        var record = Assert.Single(await RunSweepAsync(Name("correct"), rounds: 0, ScriptedModel.Program("// seconds: 0.5")));

        Assert.Equal((Verdict.Correct, 1, ""), (record.Verdict, record.Rounds, record.Reason));
        // The reference takes 1 s and the program 0.5 s at every count.
        Assert.Equal(2.0, record.Speedup);
        Assert.Equal([1, 2], record.Runs.Select(r => r.Threads));
        Assert.Equal("fake-agent", record.Provenance.Agent);
        Assert.Equal(new TokenUsage(100, 50), record.Tokens);
        Assert.True(record.Parallel);
        Assert.Contains(record.Jobs, j => j.Kind == "build" && j.Job.EndsWith("/r0/build", StringComparison.Ordinal));
        // Each count is one paired measurement against the reference, owning its cores; its interval and pairs reach the record.
        Assert.Equal(["t1n1", "t2n1"], record.Jobs.Where(j => j.Kind == "measure" && j.Exclusive).Select(j => j.Job.Split('/')[^1]));
        Assert.Equal([2.0, 2.0], record.SpeedupCi);
        Assert.Equal((6, false), (record.Pairs, record.Noisy));
        // Twice as fast on one core is more than parallelism gives (above 1.1 x the cores); on two it is not.
        Assert.Equal([true, false], record.Runs.Select(r => r.Superlinear));
        // The catalog's expert solution carries no markers: the fake runs it in 1 s, as the reference.
        Assert.Equal(1.0, record.ExpertSpeedup);
        var attempt = Assert.Single(await fixture.PrimaryServices.GetRequiredService<AttemptStore>().ReadAsync(record.Experiment));
        Assert.Equal(Verdict.Correct, attempt.Verdict);
        Assert.Equal(ExperimentStage.Done, await fixture.Grains.GetGrain<IExperimentGrain>(record.Experiment).GetStageAsync());
    }

    [Fact]
    public async Task Sweep_BuildErrorThenFixed_FeedsTheCompilerErrorBackAndRecordsTheRepair()
    {
        var record = Assert.Single(await RunSweepAsync(Name("repair"), rounds: 1,
            ScriptedModel.Program("// build-error: 'total' undeclared (first use in this function)"), ScriptedModel.Program()));

        Assert.Equal((Verdict.Correct, 2, ""), (record.Verdict, record.Rounds, record.Reason));
        var attempts = await fixture.PrimaryServices.GetRequiredService<AttemptStore>().ReadAsync(record.Experiment);
        Assert.Equal([Verdict.BuildError, Verdict.Correct], attempts.Select(a => a.Verdict));
        Assert.StartsWith("Your program failed verification (build_error)", attempts[1].Prompt, StringComparison.Ordinal);
        Assert.Contains("'total' undeclared", attempts[1].Prompt, StringComparison.Ordinal);
        Assert.Contains(record.Taxonomy, f => f.Stage == "build");
    }

    [Fact]
    public async Task StartAsync_AfterTheExperimentRecorded_MakesNoCallAndItsAttemptsStayReadable()
    {
        var sweep = Name("late-start");
        var record = Assert.Single(await RunSweepAsync(sweep, rounds: 0, ScriptedModel.Program()));
        var calls = ScriptedModel.Requests.Count(r => r.Experiment.SweepId == sweep);
        var spec = SweepExpansion.Expand(sweep, Spec(sweep, rounds: 0), new Dictionary<string, SweepKernel> { [s_gemm.Id] = SweepKernel.Of(s_gemm) }).Single();
        var experiment = fixture.Grains.GetGrain<IExperimentGrain>(record.Experiment);

        // A start that arrives late (sent before the record was counted, delivered after) finds the experiment recorded.
        await experiment.StartAsync(spec);
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Equal(calls, ScriptedModel.Requests.Count(r => r.Experiment.SweepId == sweep));
        Assert.Equal(ExperimentStage.Done, await experiment.GetStageAsync());
        var attempt = Assert.Single(await fixture.PrimaryServices.GetRequiredService<AttemptStore>().ReadAsync(record.Experiment));
        Assert.Equal(Verdict.Correct, attempt.Verdict);
    }

    [Fact]
    public async Task Sweep_WrongOutputAndNoRoundsLeft_RecordsWrongOutputNamingTheConfiguration()
    {
        var record = Assert.Single(await RunSweepAsync(Name("wrong"), rounds: 0, ScriptedModel.Program("// prints: 41")));

        Assert.True(record.Verdict == Verdict.WrongOutput, record.Reason);
        Assert.StartsWith("at 1 thread(s), 1 rank(s)", record.Reason, StringComparison.Ordinal);
        Assert.Null(record.Speedup);
    }

    [Fact]
    public async Task Sweep_AgentLostDuringTheBuild_RetriesTheBuildAndRecordsCorrect()
    {
        var sweep = Name("agent-lost");
        var failures = 1;
        FakeAgent.Hooks[sweep] = job => job.Kind == "build" && Interlocked.Decrement(ref failures) >= 0
            ? throw new AgentUnavailableException("agent fake-agent failed during build: Unavailable")
            : Task.CompletedTask;

        var record = Assert.Single(await RunSweepAsync(sweep, rounds: 0, ScriptedModel.Program()));

        // An infrastructure failure is retried, never charged to the model.
        Assert.Equal((Verdict.Correct, 1, ""), (record.Verdict, record.Rounds, record.Reason));
        Assert.Equal(2, FakeAgent.Jobs.Count(j => j.JobId == $"{record.Experiment}/r0/build"));
    }

    [Fact]
    public async Task Sweep_StageCrashes_RecordsInfraErrorNamingTheStageNotTheModel()
    {
        var sweep = Name("crash");
        FakeAgent.Hooks[sweep] = job => job.Kind == "build" ? throw new InvalidOperationException("a bug in the build") : Task.CompletedTask;

        var record = Assert.Single(await RunSweepAsync(sweep, rounds: 1, ScriptedModel.Program()));

        // A bug of the system is never retried, never repaired, and never counted against the model.
        Assert.Equal((Verdict.InfraError, 1), (record.Verdict, record.Rounds));
        Assert.Equal("internal error in stage Build: a bug in the build", record.Reason);
        Assert.Single(FakeAgent.Jobs, j => j.JobId == $"{record.Experiment}/r0/build");
    }

    [Fact]
    public async Task Sweep_SiloDiesWhileTheProgramRuns_ExperimentResumesAtRunOnTheOtherSilo()
    {
        var primary = fixture.Cluster.Primary!.SiloAddress;
        var doomed = await fixture.Cluster.StartAdditionalSiloAsync();
        var hung = new TaskCompletionSource<FakeAgent.Job>(TaskCreationOptions.RunContinuationsAsynchronously);
        var never = new TaskCompletionSource();
        // Experiments land on either silo: sweeps of one experiment start until one of them runs on the doomed silo,
        // where its timed runs never return.
        for (var i = 0; i < 30 && !hung.Task.IsCompleted; i++)
        {
            var sweep = Name($"silo-dies-{i}");
            FakeAgent.Hooks[sweep] = job =>
            {
                if (job.Kind == "run" && job.Silo.Equals(doomed.SiloAddress) && job.JobId.Contains("/t", StringComparison.Ordinal))
                {
                    hung.TrySetResult(job);
                    return never.Task;
                }

                return Task.CompletedTask;
            };
            await StartSweepAsync(sweep, rounds: 0, ScriptedModel.Program("// seconds: 0.5"));
            await Task.WhenAny(hung.Task, Task.Delay(TimeSpan.FromSeconds(3)));
        }

        var stuck = await hung.Task.WaitAsync(s_patience);
        var (experiment, resumed) = (stuck.Experiment, stuck.Experiment.Split('/')[0]);

        await fixture.Cluster.KillSiloAsync(doomed);
        await fixture.Cluster.WaitForLivenessToStabilizeAsync();
        // What the sweep's refill reminder does every minute: start the admitted experiments that have not recorded.
        await fixture.Grains.GetGrain<ISweepGrain>(resumed).ResumeAsync();
        var record = Assert.Single(await RecordsAsync(resumed));

        Assert.Equal((Verdict.Correct, 1, "", 2.0), (record.Verdict, record.Rounds, record.Reason, record.Speedup));
        // It went on from Run: the model was asked once and the program built once, and the runs finished on the survivor.
        Assert.Single(ScriptedModel.Requests, r => r.Experiment.ExperimentId == experiment);
        Assert.Single(FakeAgent.Jobs, j => j.JobId == $"{experiment}/r0/build");
        Assert.Contains(FakeAgent.Jobs, j => j.Experiment == experiment && j.Kind == "run" && j.Silo.Equals(primary));
    }

    [Fact]
    public async Task Sweep_CancelledWhileItsProgramIsTimed_StopsThereAndResumesWithoutRepeatingAnything()
    {
        var sweep = Name("cancel");
        var timing = new TaskCompletionSource<FakeAgent.Job>(TaskCreationOptions.RunContinuationsAsynchronously);
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        FakeAgent.Hooks[sweep] = job =>
        {
            if (job.Kind == "measure" && timing.TrySetResult(job))
            {
                return gate.Task;
            }

            return Task.CompletedTask;
        };
        await StartSweepAsync(sweep, rounds: 0, ScriptedModel.Program("// seconds: 0.5"));
        var timed = await timing.Task.WaitAsync(s_patience);
        var grain = fixture.Grains.GetGrain<ISweepGrain>(sweep);

        // The cancel is pushed to the experiment while its measurement is on the agent; the measurement then ends.
        await grain.CancelAsync();
        await Task.Delay(200);
        gate.SetResult();
        await Task.Delay(TimeSpan.FromSeconds(2));

        var experiment = fixture.Grains.GetGrain<IExperimentGrain>(timed.Experiment);
        Assert.NotEqual(ExperimentStage.Done, await experiment.GetStageAsync());
        Assert.Equal(0, (await grain.GetProgressAsync()).Recorded);
        var jobsWhenStopped = FakeAgent.Jobs.Count(j => j.Experiment == timed.Experiment);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(jobsWhenStopped, FakeAgent.Jobs.Count(j => j.Experiment == timed.Experiment));

        await grain.ResumeAsync();
        var record = Assert.Single(await RecordsAsync(sweep));

        Assert.Equal((Verdict.Correct, 2.0), (record.Verdict, record.Speedup));
        // It went on from where it stopped: one model call, one build, and the measurement that was running not run again.
        Assert.Single(ScriptedModel.Requests, r => r.Experiment.ExperimentId == timed.Experiment);
        Assert.Single(FakeAgent.Jobs, j => j.JobId == $"{timed.Experiment}/r0/build");
        Assert.Single(FakeAgent.Jobs, j => j.JobId == timed.JobId);
    }

    private async Task<IReadOnlyList<ExperimentRecord>> RunSweepAsync(string sweep, int rounds, params string[] answers)
    {
        await StartSweepAsync(sweep, rounds, answers);
        return await RecordsAsync(sweep);
    }

    private async Task StartSweepAsync(string sweep, int rounds, params string[] answers)
    {
        ScriptedModel.Answers[sweep] = answers;
        await fixture.Grains.GetGrain<ISweepGrain>(sweep).StartAsync(Spec(sweep, rounds), [s_gemm]);
    }

    private static SweepSpec Spec(string sweep, int rounds) => new(
        sweep, [s_gemm.Id], [Technologies.OpenMp], [new ModelSpec("scripted", ScriptedModel.Name)], ["plain"], 1, new RepairSettings(rounds),
        new RunSettings("tiny", [1, 2], [1], 2, 30, 60), Cache: false, MaxActive: 4);

    private async Task<IReadOnlyList<ExperimentRecord>> RecordsAsync(string sweep)
    {
        var grain = fixture.Grains.GetGrain<ISweepGrain>(sweep);
        var deadline = DateTime.UtcNow + s_patience;
        while (!(await grain.GetProgressAsync()).IsComplete)
        {
            Assert.True(DateTime.UtcNow < deadline, $"sweep {sweep} did not finish within {s_patience}");
            await Task.Delay(200);
        }

        return await grain.GetRecordsAsync(0, 100);
    }

    private static string Name(string test) => $"{test}-{Guid.NewGuid():n}"[..24];
}
