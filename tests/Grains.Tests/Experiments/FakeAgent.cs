using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Protos;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Scheduling;
using Orleans.Runtime;

namespace Kernelsmith.Grains.Tests.Experiments;

/// <summary>
/// The job port of the test silos: one agent that "runs" a program by reading markers in its source
/// (<c>// build-error: MESSAGE</c>, <c>// prints: TEXT</c>, <c>// seconds: S</c>, <c>// exit: N</c>); a program without
/// them (the sequential reference) prints 42 in 1 s. Tests hook the jobs of their own sweep (the first part of a job id).
/// </summary>
internal sealed partial class FakeAgent(ILocalSiloDetails silo) : IJobRunner
{
    public static readonly AgentInfo Agent = new(
        "fake-agent", "default", "http://127.0.0.1:1", [Technologies.OpenMp], 4, "Fake CPU", 8L << 30,
        new Dictionary<string, string> { ["gcc"] = "12.2" }, DateTimeOffset.UnixEpoch);

    private static readonly ConcurrentDictionary<string, string> s_artifacts = new();

    /// <summary>Runs before each job of a sweep (keyed by sweep id): it may throw, or wait.</summary>
    public static ConcurrentDictionary<string, Func<Job, Task>> Hooks { get; } = new();

    /// <summary>Every job of every sweep, in arrival order.</summary>
    public static ConcurrentQueue<Job> Jobs { get; } = new();

    public Task<AgentInfo> SelectAgentAsync(string technology, IReadOnlyList<string>? pools, string? preferred, CancellationToken cancellationToken) =>
        Task.FromResult(Agent);

    public async Task<JobResult> BuildAsync(AgentInfo agent, BuildJob job, CancellationToken cancellationToken)
    {
        await ArriveAsync(job.JobId, "build");
        var source = string.Concat(job.Files.Select(f => f.Content.ToStringUtf8()));
        if (Marker(source, "build-error") is { } error)
        {
            return new JobResult { Status = JobResult.Types.Status.Exited, ExitCode = 1, Stderr = ByteString.CopyFromUtf8($"main.c:1:1: error: {error}\n"), Toolchain = "gcc 12.2" };
        }

        var artifact = $"artifact-{(uint)source.GetHashCode():x8}";
        s_artifacts[artifact] = source;
        return new JobResult { Status = JobResult.Types.Status.Exited, ArtifactId = artifact, Toolchain = "gcc 12.2", Cores = { 0 } };
    }

    public async Task<JobResult> RunAsync(AgentInfo agent, RunJob job, CancellationToken cancellationToken)
    {
        await ArriveAsync(job.JobId, "run");
        return Run(job);
    }

    private static JobResult Run(RunJob job)
    {
        var source = s_artifacts.TryGetValue(job.ArtifactId, out var text) ? text : throw new AgentUnavailableException($"no artifact {job.ArtifactId}");
        var exit = Marker(source, "exit") is { } code ? int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return new JobResult
        {
            Status = JobResult.Types.Status.Exited,
            ExitCode = exit,
            Stdout = ByteString.CopyFromUtf8((Marker(source, "prints") ?? "42") + "\n"),
            Stderr = ByteString.CopyFromUtf8(exit != 0 ? "Segmentation fault\n" : ""),
            WallSeconds = Marker(source, "seconds") is { } seconds ? double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture) : 1.0,
            Cores = { Enumerable.Range(0, Math.Max(1, job.Threads)) },
        };
    }

    /// <summary>
    /// Each arm run once as <see cref="RunAsync"/> would, reported as the fewest pairs with a zero-width interval: the
    /// speedup is the baseline's seconds over the arm's, and the first arm that fails is the measurement's result.
    /// </summary>
    public async Task<JobResult> MeasureAsync(AgentInfo agent, MeasureJob job, CancellationToken cancellationToken)
    {
        await ArriveAsync(job.JobId, "measure");
        var measurement = new MeasureResult { Pairs = job.MinPairs, Reached = true, Stopped = "precision", FailedArm = -1 };
        var results = new List<JobResult>();
        foreach (var (arm, index) in job.Arms.Select((a, i) => (a, i)))
        {
            var result = Run(arm);
            if (result.ExitCode != 0)
            {
                result.Measurement = new MeasureResult { Pairs = 0, Stopped = "failed", FailedArm = index };
                return result;
            }

            results.Add(result);
            measurement.Runs.Add(new MeasuredRun { Arm = index, Round = 0, WallSeconds = result.WallSeconds, CpuSeconds = result.WallSeconds, Result = result });
        }

        foreach (var (result, index) in results.Select((r, i) => (r, i)))
        {
            var speedup = results[0].WallSeconds / result.WallSeconds;
            measurement.Arms.Add(new ArmSummary
            {
                Arm = index, Speedup = speedup, SpeedupLow = speedup, SpeedupHigh = speedup, Reached = true,
                MedianSeconds = result.WallSeconds, MedianCpuSeconds = result.WallSeconds,
            });
        }

        return new JobResult { Status = JobResult.Types.Status.Exited, Measurement = measurement, Cores = { 0 } };
    }

    private async Task ArriveAsync(string jobId, string kind)
    {
        var job = new Job(silo.SiloAddress, jobId, kind);
        Jobs.Enqueue(job);
        if (Hooks.TryGetValue(jobId.Split('/')[0], out var hook))
        {
            await hook(job);
        }
    }

    private static string? Marker(string source, string name) =>
        MarkerLine().Matches(source).FirstOrDefault(m => m.Groups["name"].Value == name)?.Groups["value"].Value.Trim();

    [GeneratedRegex(@"//\s*(?<name>[\w-]+):(?<value>.*)$", RegexOptions.Multiline)]
    private static partial Regex MarkerLine();

    /// <summary>One job as it arrived: from which silo, its id, build or run.</summary>
    public sealed record Job(SiloAddress Silo, string JobId, string Kind)
    {
        public string Experiment => JobId.IndexOf("/r", StringComparison.Ordinal) is var end and > 0 ? JobId[..end] : "";
    }
}
