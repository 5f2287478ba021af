using Google.Protobuf;
using Kernelsmith.Contracts.Kernels;
using Proto = Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Grains.Scheduling;

/// <summary>The node agent's messages to and from the domain's requests and reports: the one place they meet on the silo side.</summary>
public static class JobMapping
{
    public static Proto.BuildJob ToProto(this BuildRequest request)
    {
        var job = new Proto.BuildJob { JobId = request.JobId, Compiler = request.Compiler, TimeoutMs = request.TimeoutMs };
        job.Files.AddRange(request.Files.Select(ToProto));
        job.Flags.AddRange(request.Flags);
        job.Libraries.AddRange(request.Libraries);
        return job;
    }

    public static Proto.RunJob ToProto(this RunRequest request)
    {
        var job = new Proto.RunJob
        {
            JobId = request.JobId,
            ArtifactId = request.ArtifactId,
            Launcher = request.Launcher,
            Threads = request.Threads,
            Ranks = request.Ranks,
            TimeoutMs = request.TimeoutMs,
            Exclusive = request.Exclusive,
            Stdin = ByteString.CopyFromUtf8(request.Stdin),
        };
        job.Args.AddRange(request.Args);
        job.InputFiles.AddRange(request.InputFiles.Select(ToProto));
        job.OutputFiles.AddRange(request.OutputFiles);
        job.Environment.Add(request.Environment.ToDictionary());
        job.Wrapper.AddRange(request.Wrapper);
        return job;
    }

    public static Proto.MeasureJob ToProto(this MeasureRequest request)
    {
        var job = new Proto.MeasureJob
        {
            JobId = request.JobId,
            Precision = request.Precision,
            Warmups = request.Warmups,
            MinPairs = request.MinPairs,
            MaxPairs = request.MaxPairs,
            MaxSeconds = request.MaxSeconds,
            TimingPattern = request.TimingPattern,
            Seed = request.Seed,
        };
        job.Arms.AddRange(request.Arms.Select(ToProto));
        return job;
    }

    public static JobReport ToDomain(this Proto.JobResult result) => new()
    {
        Status = result.Status switch
        {
            Proto.JobResult.Types.Status.Exited => JobStatus.Exited,
            Proto.JobResult.Types.Status.TimedOut => JobStatus.TimedOut,
            Proto.JobResult.Types.Status.KilledByLimit => JobStatus.KilledByLimit,
            _ => JobStatus.AgentError,
        },
        ExitCode = result.ExitCode,
        Signal = result.Signal,
        Stdout = result.Stdout.ToStringUtf8(),
        Stderr = result.Stderr.ToStringUtf8(),
        StdoutTruncated = result.StdoutTruncated,
        StderrTruncated = result.StderrTruncated,
        WallSeconds = result.WallSeconds,
        CpuSeconds = result.CpuSeconds,
        ArtifactId = result.ArtifactId,
        OutputFiles = [.. result.OutputFiles.Select(f => new CodeFile(f.Path, f.Content.ToStringUtf8()))],
        Message = result.Message,
        Toolchain = result.Toolchain,
        Limit = result.Limit,
        Cores = [.. result.Cores],
        QueuedUnixMs = result.QueuedUnixMs,
        StartedUnixMs = result.StartedUnixMs,
        FinishedUnixMs = result.FinishedUnixMs,
        Cached = result.Cached,
        PeakRssBytes = result.PeakRssBytes,
        PeakProcesses = result.PeakProcesses,
        Gpu = result.Gpu,
        PeakGpuMemoryBytes = result.PeakGpuMemoryBytes,
        Measurement = result.Measurement?.ToDomain(),
    };

    private static MeasureReport ToDomain(this Proto.MeasureResult measurement) => new(
        [.. measurement.Runs.Select(r => new TimedRun(r.Arm, r.Round, r.Position, r.WallSeconds, r.CpuSeconds, r.KernelSeconds, r.Result?.ToDomain()))],
        [.. measurement.Arms.Select(a => new ArmSummary(
            a.Arm, a.Speedup, a.SpeedupLow, a.SpeedupHigh, a.Cv, a.MedianSeconds, a.MedianCpuSeconds, a.MedianKernelSeconds,
            a.KernelSpeedup, a.KernelSpeedupLow, a.KernelSpeedupHigh, a.Reached))],
        measurement.Pairs,
        measurement.Reached,
        measurement.Stopped,
        measurement.FailedArm,
        measurement.Warmups);

    private static Proto.SourceFile ToProto(CodeFile file) => new() { Path = file.Path, Content = ByteString.CopyFromUtf8(file.Content) };
}
