using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Tests.Services;

/// <summary>A Measure job over real gRPC and the real sandbox: a program against itself, and a candidate that fails.</summary>
[Collection(AgentCollection.Name)]
public sealed class MeasureTests(AgentFixture fixture)
{
    private AgentHost Agent => fixture.Agent;

    [Fact]
    public async Task Measure_ProgramAgainstItself_IntervalHoldsOneOrTheResultSaysItIsNoisy()
    {
        var work = await Agent.BuildProgramAsync("work");
        var job = new MeasureJob
        {
            JobId = $"measure-{Guid.NewGuid():n}", Precision = 0.03, Warmups = 1, MaxPairs = 12, MaxSeconds = 60, Seed = 7,
            TimingPattern = @"Kernel executed in ([0-9.]+) seconds",
        };
        job.Arms.AddRange([AgentHost.Job(work, 20_000, "20"), AgentHost.Job(work, 20_000, "20")]);

        var call = await AgentHost.CallAsync(Agent.Client.Measure(job));

        var measurement = call.Result.Measurement;
        Assert.Equal(JobResult.Types.Status.Exited, call.Result.Status);
        Assert.InRange(measurement.Pairs, 6, 12);
        Assert.Equal(measurement.Pairs * 2, measurement.Runs.Count);
        var candidate = measurement.Arms[1];
        // Never a confident wrong answer: an interval that misses 1.0 must at least be flagged as not precise enough.
        Assert.True(candidate.SpeedupLow <= 1.0 && 1.0 <= candidate.SpeedupHigh || !measurement.Reached,
            $"speedup {candidate.Speedup:F3} [{candidate.SpeedupLow:F3}, {candidate.SpeedupHigh:F3}] after {measurement.Pairs} pairs, reached {measurement.Reached}");
        Assert.All(measurement.Runs, r => Assert.True(r.CpuSeconds > 0 && r.KernelSeconds > 0, $"cpu {r.CpuSeconds} kernel {r.KernelSeconds}"));
        // One thread on one core: the CPU time cannot much exceed the wall time.
        Assert.All(measurement.Runs, r => Assert.True(r.CpuSeconds <= r.WallSeconds * 1.1 + 0.02, $"cpu {r.CpuSeconds} wall {r.WallSeconds}"));
        Assert.Contains("result 1.000", measurement.Runs.First(r => r.Arm == 1).Result.Stdout.ToStringUtf8(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Measure_CandidateExitsWithAnError_EndsWithThatRunAndNamesTheArm()
    {
        var work = await Agent.BuildProgramAsync("work");
        var job = new MeasureJob { JobId = $"measure-{Guid.NewGuid():n}", Precision = 0.03, Warmups = 0, MaxPairs = 6, MaxSeconds = 60, Seed = 1 };
        job.Arms.AddRange([AgentHost.Job(work, 20_000, "1"), AgentHost.Job(work, 20_000, "1", "3")]);

        var call = await AgentHost.CallAsync(Agent.Client.Measure(job));

        Assert.Equal(3, call.Result.ExitCode);
        Assert.Equal(1, call.Result.Measurement.FailedArm);
    }

    [Fact]
    public async Task Measure_MissingArtifact_IsTheAgentsRefusal()
    {
        var job = new MeasureJob { JobId = "measure-missing" };
        job.Arms.AddRange([AgentHost.Job("no-such-artifact", 1000), AgentHost.Job("no-such-artifact", 1000)]);

        var call = await AgentHost.CallAsync(Agent.Client.Measure(job));

        Assert.Equal(JobResult.Types.Status.AgentError, call.Result.Status);
        Assert.Contains("no-such-artifact", call.Result.Message, StringComparison.Ordinal);
    }
}
