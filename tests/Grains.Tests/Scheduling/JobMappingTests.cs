using Google.Protobuf;
using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Scheduling;
using Proto = Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Grains.Tests.Scheduling;

/// <summary>The gRPC edge's mapping: what a stage asks for is what the agent receives, and what the agent answers is what the stage reads.</summary>
public sealed class JobMappingTests
{
    [Fact]
    public void ToProto_SanitizerRun_CarriesInputsEnvironmentAndWrapper()
    {
        var input = new KernelInput("small", ["-n", "8"], "3 1 2\n", [new CodeFile("data.txt", "1 2 3\n")], ["out.txt"]);
        var request = Jobs.Run("exp/r1/thread/small", "artifact-1", input, 4, 2, 1.5, exclusive: false, Technologies.Mpi)
            with { Environment = new Dictionary<string, string> { ["TSAN_OPTIONS"] = "x=1" }, Wrapper = ["compute-sanitizer"] };

        var job = request.ToProto();

        Assert.Equal((Launchers.MpiRun, 4, 2, 1500, false), (job.Launcher, job.Threads, job.Ranks, job.TimeoutMs, job.Exclusive));
        Assert.Equal(["-n", "8"], job.Args);
        Assert.Equal("3 1 2\n", job.Stdin.ToStringUtf8());
        Assert.Equal(("data.txt", "1 2 3\n"), (job.InputFiles[0].Path, job.InputFiles[0].Content.ToStringUtf8()));
        Assert.Equal(["out.txt"], job.OutputFiles);
        Assert.Equal("x=1", job.Environment["TSAN_OPTIONS"]);
        Assert.Equal(["compute-sanitizer"], job.Wrapper);
    }

    [Fact]
    public void ToDomain_MeasurementWithAFailedArm_KeepsStatusOutputTimelineAndArm()
    {
        var failed = new Proto.JobResult
        {
            Status = Proto.JobResult.Types.Status.KilledByLimit, Limit = "memory", Message = "killed: memory limit 256 MiB", Signal = 9,
            Stdout = ByteString.CopyFromUtf8("partial\n"), Stderr = ByteString.CopyFromUtf8("oom\n"), StderrTruncated = true,
            Cores = { 2, 3 }, QueuedUnixMs = 1, StartedUnixMs = 2, FinishedUnixMs = 3,
            OutputFiles = { new Proto.SourceFile { Path = "out.txt", Content = ByteString.CopyFromUtf8("7\n") } },
            Measurement = new Proto.MeasureResult
            {
                FailedArm = 1, Stopped = "failed", Pairs = 2,
                Runs = { new Proto.MeasuredRun { Arm = 0, Round = 0, WallSeconds = 1.5, Result = new Proto.JobResult { Stdout = ByteString.CopyFromUtf8("42\n") } } },
                Arms = { new Proto.ArmSummary { Arm = 0, Speedup = 1, MedianSeconds = 1.5, Reached = true } },
            },
        };

        var report = failed.ToDomain();

        Assert.Equal((JobStatus.KilledByLimit, "memory", 9), (report.Status, report.Limit, report.Signal));
        Assert.Equal(("partial\n", "oom\n", true), (report.Stdout, report.Stderr, report.StderrTruncated));
        Assert.Equal([2, 3], report.Cores);
        Assert.Equal((1L, 2L, 3L), (report.QueuedUnixMs, report.StartedUnixMs, report.FinishedUnixMs));
        Assert.Equal(new CodeFile("out.txt", "7\n"), Assert.Single(report.OutputFiles));
        var measurement = Assert.IsType<MeasureReport>(report.Measurement);
        Assert.Equal((1, "failed", 2), (measurement.FailedArm, measurement.Stopped, measurement.Pairs));
        Assert.Equal("42\n", Assert.Single(measurement.Runs).Result?.Stdout);
        Assert.Equal(1.5, Assert.Single(measurement.Arms).MedianSeconds);
    }

    [Fact]
    public void ToDomain_BuildWithoutMeasurement_HasNoneAndEachStatusMapsToItsOwn()
    {
        Assert.Null(new Proto.JobResult().ToDomain().Measurement);
        Assert.Equal(
            [JobStatus.Exited, JobStatus.TimedOut, JobStatus.AgentError, JobStatus.KilledByLimit],
            new[] { Proto.JobResult.Types.Status.Exited, Proto.JobResult.Types.Status.TimedOut, Proto.JobResult.Types.Status.AgentError, Proto.JobResult.Types.Status.KilledByLimit }
                .Select(s => new Proto.JobResult { Status = s }.ToDomain().Status));
    }
}
