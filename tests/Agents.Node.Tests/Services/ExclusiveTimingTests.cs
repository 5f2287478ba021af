using Kernelsmith.Agents.Node.Execution;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Tests.Services;

/// <summary>A timing run owns its cores: what arrives meanwhile waits, as the recorded job timeline shows.</summary>
[Collection(AgentCollection.Name)]
public sealed class ExclusiveTimingTests(AgentFixture fixture)
{
    private AgentHost Agent => fixture.Agent;

    [Fact]
    public async Task Build_SubmittedDuringTimingRun_WaitsUntilTheTimingRunReleasesItsCores()
    {
        var allCores = CpuList.Allowed();
        var timed = AgentHost.Job(await Agent.BuildProgramAsync("cores"), 20_000, "1500");
        timed.Exclusive = true;
        timed.Threads = allCores.Count;
        var timingStarted = new TaskCompletionSource();
        var timing = AgentHost.CallAsync(Agent.Client.Run(timed), update =>
        {
            if (update.UpdateCase == JobUpdate.UpdateOneofCase.Started)
            {
                timingStarted.TrySetResult();
            }

            return Task.CompletedTask;
        });
        await timingStarted.Task.WaitAsync(TimeSpan.FromSeconds(20));

        // A source never built before, so the agent cannot answer from its cache.
        var build = await Agent.BuildAsync("hello", "gcc", [], $"/* {Guid.NewGuid()} */\n");
        var timingResult = (await timing).Result;

        Assert.Equal(0, timingResult.ExitCode);
        Assert.Equal(allCores, timingResult.Cores);
        Assert.Equal(allCores, PrintedCpus(timingResult));
        Assert.Equal(0, build.ExitCode);
        Assert.True(build.QueuedUnixMs < timingResult.FinishedUnixMs, "the build arrived while the timing run ran");
        Assert.True(build.StartedUnixMs >= timingResult.FinishedUnixMs,
            $"the build started at {build.StartedUnixMs}, before the timing run finished at {timingResult.FinishedUnixMs}");
        Assert.Single(build.Cores);
    }

    [Fact]
    public async Task Build_SubmittedDuringOneThreadTimingRun_WaitsBecauseTheTimingRunOwnsTheNode()
    {
        var timed = AgentHost.Job(await Agent.BuildProgramAsync("cores"), 20_000, "1500");
        timed.Exclusive = true;
        timed.Threads = 1;
        var timingStarted = new TaskCompletionSource();
        var timing = AgentHost.CallAsync(Agent.Client.Run(timed), update =>
        {
            if (update.UpdateCase == JobUpdate.UpdateOneofCase.Started)
            {
                timingStarted.TrySetResult();
            }

            return Task.CompletedTask;
        });
        await timingStarted.Task.WaitAsync(TimeSpan.FromSeconds(20));

        var build = await Agent.BuildAsync("hello", "gcc", [], $"/* {Guid.NewGuid()} */\n");
        var timingResult = (await timing).Result;

        Assert.Equal(0, timingResult.ExitCode);
        var core = Assert.Single(timingResult.Cores);
        Assert.Equal([core], PrintedCpus(timingResult));
        Assert.True(build.QueuedUnixMs < timingResult.FinishedUnixMs, "the build arrived while the timing run ran");
        Assert.True(build.StartedUnixMs >= timingResult.FinishedUnixMs,
            $"the build started at {build.StartedUnixMs}, while the one-thread timing run (finished {timingResult.FinishedUnixMs}) owned the node");
    }

    [Fact]
    public async Task Run_CorrectnessRun_IsPinnedToTheOneCoreItHolds()
    {
        var call = await Agent.RunAsync(await Agent.BuildProgramAsync("cores"), 10_000, "0");

        Assert.Equal(0, call.Result.ExitCode);
        var core = Assert.Single(call.Result.Cores);
        Assert.Equal([core], PrintedCpus(call.Result));
    }

    /// <summary>The CPUs the program said it may run on (the kernel writes them as a list: 0-3,6).</summary>
    private static IReadOnlyList<int> PrintedCpus(JobResult result)
    {
        var line = result.Stdout.ToStringUtf8().Trim();
        Assert.StartsWith("cpus ", line);
        Assert.True(CpuList.TryParse(line["cpus ".Length..], out var cpus), line);
        return cpus;
    }
}
