using Kernelsmith.Contracts.Kernels;

namespace Kernelsmith.Grains.Scheduling;

/// <summary>How a job ended on the agent.</summary>
public enum JobStatus
{
    /// <summary>The process ran and exited (with any code or signal).</summary>
    Exited,

    /// <summary>The wall-clock limit was reached and the whole process tree was killed.</summary>
    TimedOut,

    /// <summary>The agent could not do the job (missing artifact, tool not found): not the program's fault.</summary>
    AgentError,

    /// <summary>A resource limit was exceeded and the whole process tree was killed; <see cref="JobReport.Limit"/> says which.</summary>
    KilledByLimit,
}

/// <summary>What the agent answered for a build, a run or a measurement: how it ended, what it printed, and its timeline.</summary>
public sealed record JobReport
{
    public JobStatus Status { get; init; }
    public int ExitCode { get; init; }
    public int Signal { get; init; }
    public string Stdout { get; init; } = "";
    public string Stderr { get; init; } = "";
    public bool StdoutTruncated { get; init; }
    public bool StderrTruncated { get; init; }
    public double WallSeconds { get; init; }

    /// <summary>User plus system time of all the job's processes; 0 when unknown.</summary>
    public double CpuSeconds { get; init; }

    public string ArtifactId { get; init; } = "";
    public IReadOnlyList<CodeFile> OutputFiles { get; init; } = [];

    /// <summary>The agent's word on a failure it saw (a limit, a refusal).</summary>
    public string Message { get; init; } = "";

    public string Toolchain { get; init; } = "";

    /// <summary>Which limit killed the job: "memory", "cpu", "file_size", "disk" or "output"; empty otherwise.</summary>
    public string Limit { get; init; } = "";

    /// <summary>The cores the job held, and when it arrived, started (cores reserved) and finished on the agent.</summary>
    public IReadOnlyList<int> Cores { get; init; } = [];
    public long QueuedUnixMs { get; init; }
    public long StartedUnixMs { get; init; }
    public long FinishedUnixMs { get; init; }

    /// <summary>A build answered from the artifact cache: nothing ran, no cores were held.</summary>
    public bool Cached { get; init; }

    public long PeakRssBytes { get; init; }
    public int PeakProcesses { get; init; }
    public int Gpu { get; init; }
    public long PeakGpuMemoryBytes { get; init; }

    /// <summary>A measurement's timed runs and summary; null for builds and single runs.</summary>
    public MeasureReport? Measurement { get; init; }
}

/// <summary>
/// A paired measurement: every timed run and each arm's summary. <paramref name="FailedArm"/> is the arm whose run failed
/// (the report's status and output are that run's), -1 when none did; <paramref name="Stopped"/> says why it ended.
/// </summary>
public sealed record MeasureReport(
    IReadOnlyList<TimedRun> Runs, IReadOnlyList<ArmSummary> Arms, int Pairs, bool Reached, string Stopped, int FailedArm, int Warmups);

/// <summary>One timed run of a measurement; <paramref name="Result"/> (with its output) is kept for the first and last of each arm.</summary>
public sealed record TimedRun(int Arm, int Round, int Position, double WallSeconds, double CpuSeconds, double KernelSeconds, JobReport? Result);

/// <summary>One arm over all rounds: the median speedup over the baseline with its 95 % interval, from wall and printed kernel times.</summary>
public sealed record ArmSummary(
    int Arm,
    double Speedup,
    double SpeedupLow,
    double SpeedupHigh,
    double Cv,
    double MedianSeconds,
    double MedianCpuSeconds,
    double MedianKernelSeconds,
    double KernelSpeedup,
    double KernelSpeedupLow,
    double KernelSpeedupHigh,
    bool Reached);
