using System.Security.Cryptography;
using System.Text;
using Kernelsmith.Contracts.Agents;
using Kernelsmith.Grains.Scheduling;

namespace Kernelsmith.Cli.Bench;

/// <summary>
/// The job port of <c>bench --no-processes</c>: agents are chosen as in a real sweep (by <see cref="JobDispatcher"/>, from
/// the live agents), but every job is answered in the silo at once, without a call to the agent or a program started:
/// each build succeeds, each run exits 0 printing <c>ok</c> in <see cref="RunSeconds"/>, each measurement reports
/// equal times. What remains is the orchestration: grains, state, records, the sweep API and its client.
/// </summary>
internal sealed class InstantJobRunner(JobDispatcher dispatcher, InstantJobRunner.Tally tally) : IJobRunner
{
    /// <summary>The wall time every run and measured arm reports.</summary>
    public const double RunSeconds = 0.01;

    private const string Toolchain = "none (bench --no-processes: nothing was compiled)";

    public async Task<AgentInfo> SelectAgentAsync(AgentNeeds needs, string? preferred, CancellationToken cancellationToken)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var agent = await dispatcher.SelectAgentAsync(needs, preferred, cancellationToken);
        tally.Selected(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
        return agent;
    }

    public Task<JobReport> BuildAsync(AgentInfo agent, BuildRequest job, CancellationToken cancellationToken)
    {
        tally.Answered("build");
        var sources = string.Concat(job.Files.Select(f => f.Path + "\0" + f.Content + "\0")) + string.Join(' ', job.Flags);
        var artifact = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sources)))[..16];
        return Task.FromResult(Stamped(new JobReport { Status = JobStatus.Exited, ArtifactId = artifact, Toolchain = Toolchain, Cores = [0] }));
    }

    public Task<JobReport> RunAsync(AgentInfo agent, RunRequest job, CancellationToken cancellationToken)
    {
        tally.Answered("run");
        return Task.FromResult(Run(job));
    }

    public Task<JobReport> MeasureAsync(AgentInfo agent, MeasureRequest job, CancellationToken cancellationToken)
    {
        tally.Answered("measure");
        var runs = job.Arms.Select((arm, index) => new TimedRun(index, 0, 0, RunSeconds, RunSeconds, 0, Run(arm))).ToList();
        var arms = job.Arms.Select((_, index) => new ArmSummary(index, 1, 1, 1, 0, RunSeconds, RunSeconds, 0, 0, 0, 0, Reached: true)).ToList();
        var measurement = new MeasureReport(runs, arms, job.MinPairs, Reached: true, "precision", FailedArm: -1, Warmups: 0);
        return Task.FromResult(Stamped(new JobReport { Status = JobStatus.Exited, Measurement = measurement, WallSeconds = RunSeconds, Cores = [0] }));
    }

    private static JobReport Run(RunRequest job) => Stamped(new JobReport
    {
        Status = JobStatus.Exited,
        Stdout = "ok\n",
        WallSeconds = RunSeconds,
        CpuSeconds = RunSeconds * Math.Max(1, job.Threads) * Math.Max(1, job.Ranks),
        Cores = [.. Enumerable.Range(0, Math.Max(1, job.Threads))],
        PeakProcesses = Math.Max(1, job.Ranks),
    });

    private static JobReport Stamped(JobReport report)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return report with { QueuedUnixMs = now, StartedUnixMs = now, FinishedUnixMs = now };
    }

    /// <summary>What the bench reads back: how long choosing an agent took, and the jobs answered by kind.</summary>
    public sealed class Tally
    {
        private readonly List<double> _selectSeconds = [];
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _jobs = new(StringComparer.Ordinal);

        public IReadOnlyDictionary<string, int> Jobs => _jobs;

        public IReadOnlyList<double> SelectSeconds
        {
            get
            {
                lock (_selectSeconds)
                {
                    return [.. _selectSeconds];
                }
            }
        }

        public void Selected(double seconds)
        {
            lock (_selectSeconds)
            {
                _selectSeconds.Add(seconds);
            }
        }

        public void Answered(string kind) => _jobs.AddOrUpdate(kind, 1, (_, n) => n + 1);
    }
}
