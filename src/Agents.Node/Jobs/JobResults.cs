using Google.Protobuf;
using Kernelsmith.Agents.Node.Execution;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Jobs;

/// <summary>The results a job ends in: refused, answered from the cache, or what its sandboxed process did.</summary>
public static class JobResults
{
    /// <summary>The agent cannot do the job (no sandbox, an unknown compiler, a missing artifact): not the program's fault.</summary>
    public static JobResult Refused(string reason) => new() { Status = JobResult.Types.Status.AgentError, Message = reason };

    /// <summary>A build whose artifact is already in the cache: nothing ran, no cores were held.</summary>
    public static JobResult Cached(string artifactId, string toolchain, DateTimeOffset at)
    {
        var now = at.ToUnixTimeMilliseconds();
        return new JobResult
        {
            ArtifactId = artifactId, Toolchain = toolchain, Message = "cached", Cached = true,
            QueuedUnixMs = now, StartedUnixMs = now, FinishedUnixMs = now,
        };
    }

    public static JobResult From(SandboxOutcome outcome, int timeoutMs, IReadOnlyList<int> jobCores, DateTimeOffset queued, DateTimeOffset started)
    {
        var result = new JobResult
        {
            Status = outcome.Fault is not null ? JobResult.Types.Status.AgentError
                : outcome.TimedOut ? JobResult.Types.Status.TimedOut
                : outcome.Limit is not null ? JobResult.Types.Status.KilledByLimit
                : JobResult.Types.Status.Exited,
            ExitCode = outcome.ExitCode,
            Signal = outcome.Signal,
            Stdout = ByteString.CopyFrom(outcome.Stdout),
            Stderr = ByteString.CopyFrom(outcome.Stderr),
            StdoutTruncated = outcome.StdoutTruncated,
            StderrTruncated = outcome.StderrTruncated,
            WallSeconds = outcome.Wall.TotalSeconds,
            Message = outcome.Fault is { } fault ? fault
                : outcome.TimedOut ? $"timed out after {timeoutMs / 1000.0:0.###} s: the whole process tree was killed"
                : outcome.Limit is { } limit ? $"killed: {limit.Description}"
                : "",
            Limit = outcome.Limit?.Name ?? "",
            QueuedUnixMs = queued.ToUnixTimeMilliseconds(),
            StartedUnixMs = started.ToUnixTimeMilliseconds(),
            FinishedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            PeakRssBytes = outcome.PeakPrivateBytes,
            PeakProcesses = outcome.PeakProcesses,
            CpuSeconds = outcome.CpuSeconds,
        };
        result.Cores.AddRange(jobCores);
        return result;
    }
}
