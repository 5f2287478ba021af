using Google.Protobuf;
using Kernelsmith.Agents.Node.Measurement;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Tests.Measurement;

/// <summary>The protocol with a scripted runner: which runs happen, in what order, and when it stops.</summary>
public sealed class PairedMeasurementTests
{
    [Fact]
    public async Task RunAsync_CandidateSteadilyTwiceAsFast_StopsOnPrecisionAfterSixPairs()
    {
        var job = Job(arms: 2, warmups: 1);
        var seen = new List<string>();

        var result = await PairedMeasurement.RunAsync(job, (arm, _) =>
        {
            seen.Add(arm.JobId);
            return Task.FromResult(Ran(arm.JobId == "arm-0" ? 1.0 : 0.5));
        }, CancellationToken.None);

        var measurement = result.Measurement;
        Assert.Equal("precision", measurement.Stopped);
        Assert.True(measurement.Reached);
        Assert.Equal(6, measurement.Pairs);
        Assert.Equal(2.0, measurement.Arms[1].Speedup, 9);
        // One warm-up of each arm, then six rounds of one run per arm; the warm-ups are not among the timed runs.
        Assert.Equal(2 + 12, seen.Count);
        Assert.Equal(12, measurement.Runs.Count);
        Assert.All(measurement.Runs.GroupBy(r => r.Round), round => Assert.Equal([0, 1], round.Select(r => r.Arm).Order()));
    }

    [Fact]
    public async Task RunAsync_ThreeArms_RandomisesTheOrderWithinRounds()
    {
        var result = await PairedMeasurement.RunAsync(Job(arms: 3), (arm, _) => Task.FromResult(Ran(1.0)), CancellationToken.None);

        var orders = result.Measurement.Runs.GroupBy(r => r.Round).Select(g => string.Concat(g.OrderBy(r => r.Position).Select(r => r.Arm))).ToList();
        Assert.True(orders.Distinct().Count() > 1, $"every round ran in the same order: {string.Join(" ", orders)}");
    }

    [Fact]
    public async Task RunAsync_NoisyMachine_StopsAtThePairCapAndSaysItDidNotReachThePrecision()
    {
        var random = new Random(3);
        var job = Job(arms: 2);
        job.MaxPairs = 10;

        var result = await PairedMeasurement.RunAsync(job, (arm, _) => Task.FromResult(Ran(1.0 + random.NextDouble())), CancellationToken.None);

        Assert.Equal("max_pairs", result.Measurement.Stopped);
        Assert.False(result.Measurement.Reached);
        Assert.False(result.Measurement.Arms[1].Reached);
        Assert.Equal(10, result.Measurement.Pairs);
    }

    [Fact]
    public async Task RunAsync_CapBelowSixPairs_StopsThereAndIsNoisyEvenOnAQuietMachine()
    {
        var job = Job(arms: 2);
        job.MaxPairs = 2;

        var result = await PairedMeasurement.RunAsync(job, (arm, _) => Task.FromResult(Ran(1.0)), CancellationToken.None);

        Assert.Equal(2, result.Measurement.Pairs);
        Assert.Equal("max_pairs", result.Measurement.Stopped);
        Assert.False(result.Measurement.Arms[1].Reached);
    }

    [Fact]
    public async Task RunAsync_FailingCandidate_EndsWithThatRunsResultAndArm()
    {
        var result = await PairedMeasurement.RunAsync(Job(arms: 2), (arm, _) =>
        {
            var run = Ran(1.0);
            run.ExitCode = arm.JobId == "arm-1" ? 3 : 0;
            return Task.FromResult(run);
        }, CancellationToken.None);

        Assert.Equal(3, result.ExitCode);
        Assert.Equal(1, result.Measurement.FailedArm);
        Assert.Equal("failed", result.Measurement.Stopped);
    }

    [Fact]
    public async Task RunAsync_TimingPattern_JudgesThePrintedKernelTimes()
    {
        var job = Job(arms: 2);
        job.TimingPattern = @"Kernel executed in ([0-9.eE+-]+) seconds";
        // Wall times are all over the place (start-up noise); the printed kernel times are steady.
        var random = new Random(5);

        var result = await PairedMeasurement.RunAsync(job, (arm, _) =>
        {
            var run = Ran(1.0 + random.NextDouble());
            run.Stdout = ByteString.CopyFromUtf8($"Kernel executed in {(arm.JobId == "arm-0" ? "0.4" : "0.1")} seconds\n");
            return Task.FromResult(run);
        }, CancellationToken.None);

        Assert.Equal("precision", result.Measurement.Stopped);
        Assert.Equal(4.0, result.Measurement.Arms[1].KernelSpeedup, 9);
        Assert.Equal(0.1, result.Measurement.Arms[1].MedianKernelSeconds, 9);
    }

    [Fact]
    public async Task RunAsync_ManyPairs_KeepsOutputsOfTheFirstAndLastRunOfEachArmOnly()
    {
        var job = Job(arms: 2);
        job.MinPairs = 8;

        var result = await PairedMeasurement.RunAsync(job, (arm, _) => Task.FromResult(Ran(1.0)), CancellationToken.None);

        Assert.Equal(4, result.Measurement.Runs.Count(r => r.Result is not null));
    }

    private static MeasureJob Job(int arms, int warmups = 0)
    {
        var job = new MeasureJob { JobId = "measure", Precision = 0.03, Warmups = warmups, MaxPairs = 40, MaxSeconds = 600, Seed = 42 };
        job.Arms.AddRange(Enumerable.Range(0, arms).Select(i => new RunJob { JobId = $"arm-{i}" }));
        return job;
    }

    private static JobResult Ran(double seconds) =>
        new() { Status = JobResult.Types.Status.Exited, WallSeconds = seconds, CpuSeconds = seconds, Stdout = ByteString.CopyFromUtf8("out\n") };
}
