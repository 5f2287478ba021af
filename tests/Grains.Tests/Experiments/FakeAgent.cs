using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Kernelsmith.Contracts.Agents;
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

    public async Task<JobReport> BuildAsync(AgentInfo agent, BuildRequest job, CancellationToken cancellationToken)
    {
        await ArriveAsync(job.JobId, "build");
        var source = string.Concat(job.Files.Select(f => f.Content));
        if (Marker(source, "build-error") is { } error)
        {
            return new JobReport { Status = JobStatus.Exited, ExitCode = 1, Stderr = $"main.c:1:1: error: {error}\n", Toolchain = "gcc 12.2" };
        }

        var artifact = $"artifact-{(uint)source.GetHashCode():x8}";
        s_artifacts[artifact] = source;
        return new JobReport { Status = JobStatus.Exited, ArtifactId = artifact, Toolchain = "gcc 12.2", Cores = [0] };
    }

    public async Task<JobReport> RunAsync(AgentInfo agent, RunRequest job, CancellationToken cancellationToken)
    {
        await ArriveAsync(job.JobId, "run");
        return Run(job);
    }

    private static JobReport Run(RunRequest job)
    {
        var source = s_artifacts.TryGetValue(job.ArtifactId, out var text) ? text : throw new AgentUnavailableException($"no artifact {job.ArtifactId}");
        var exit = Marker(source, "exit") is { } code ? int.Parse(code, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return new JobReport
        {
            Status = JobStatus.Exited,
            ExitCode = exit,
            Stdout = (Marker(source, "prints") ?? "42") + "\n",
            Stderr = exit != 0 ? "Segmentation fault\n" : "",
            WallSeconds = Marker(source, "seconds") is { } seconds ? double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture) : 1.0,
            Cores = [.. Enumerable.Range(0, Math.Max(1, job.Threads))],
        };
    }

    /// <summary>
    /// Each arm run once as <see cref="RunAsync"/> would, reported as the fewest pairs with a zero-width interval: the
    /// speedup is the baseline's seconds over the arm's, and the first arm that fails is the measurement's result.
    /// </summary>
    public async Task<JobReport> MeasureAsync(AgentInfo agent, MeasureRequest job, CancellationToken cancellationToken)
    {
        await ArriveAsync(job.JobId, "measure");
        var runs = new List<TimedRun>();
        var results = new List<JobReport>();
        foreach (var (arm, index) in job.Arms.Select((a, i) => (a, i)))
        {
            var result = Run(arm);
            if (result.ExitCode != 0)
            {
                return result with { Measurement = new MeasureReport([], [], 0, false, "failed", index, 0) };
            }

            results.Add(result);
            runs.Add(new TimedRun(index, 0, 0, result.WallSeconds, result.WallSeconds, 0, result));
        }

        var arms = results.Select((result, index) =>
        {
            var speedup = results[0].WallSeconds / result.WallSeconds;
            return new ArmSummary(index, speedup, speedup, speedup, 0, result.WallSeconds, result.WallSeconds, 0, 0, 0, 0, true);
        });
        var measurement = new MeasureReport(runs, [.. arms], job.MinPairs, true, "precision", -1, 0);
        return new JobReport { Status = JobStatus.Exited, Measurement = measurement, Cores = [0] };
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
