namespace Kernelsmith.Agents.Node.Execution;

/// <summary>
/// What a sandboxed command should do, on which cores, with how many threads per process, for how long; and how it
/// starts (<see cref="DirectLaunch"/> when null; Slurm's launch runs it as a job, one sandbox per task, wherever the cluster puts them).
/// </summary>
public sealed record SandboxCommand(
    string WorkDirectory,
    IReadOnlyList<string> Command,
    IReadOnlyDictionary<string, string> Environment,
    byte[] Stdin,
    TimeSpan Timeout,
    IReadOnlyList<int> Cores,
    int Threads,
    ITaskLaunch? Launch = null);

/// <summary>A limit the job went over, by name (<c>memory</c>, <c>cpu</c>, <c>file_size</c>, <c>disk</c>, <c>output</c>) and as people read it.</summary>
public sealed record LimitHit(string Name, string Description);

/// <summary>What a sandboxed command did; <see cref="Fault"/> says why the agent could not run it (a cluster job refused or never started), which is no verdict on the program.</summary>
public sealed record SandboxOutcome(
    bool TimedOut,
    LimitHit? Limit,
    int ExitCode,
    int Signal,
    byte[] Stdout,
    byte[] Stderr,
    bool StdoutTruncated,
    bool StderrTruncated,
    TimeSpan Wall,
    long PeakPrivateBytes,
    int PeakProcesses,
    string? Fault = null,
    double CpuSeconds = 0);

/// <summary>What a job's processes used over the last sampling interval.</summary>
public sealed record ResourceUsage(TimeSpan Elapsed, double CpuPercent, long PrivateBytes, int Processes, long DiskBytes);

/// <summary>Receives a job's telemetry while it runs, one call at a time.</summary>
public interface ISandboxObserver
{
    ValueTask OutputAsync(bool isStderr, ReadOnlyMemory<byte> data);

    ValueTask UsageAsync(ResourceUsage usage);
}
