using System.Diagnostics;
using Kernelsmith.Agents.Node.Capabilities;
using Kernelsmith.Agents.Node.Execution;
using Kernelsmith.Agents.Node.Hosting;
using Microsoft.Extensions.Options;

namespace Kernelsmith.Agents.Node.Jobs;

/// <summary>How wide a run is on the cluster: one Slurm task per rank, each with a CPU per thread.</summary>
public sealed record SlurmPlacement(int Tasks, int CpusPerTask, MpiToolchain? Mpi, bool Exclusive);

/// <summary>
/// A Slurm job as the agent starts it: the local command (<c>srun</c>, or <c>sbatch --wait</c>), the job's unique
/// name (what <c>scancel</c> and <c>squeue</c> find it by), and for a batch job the files its output lands in.
/// </summary>
public sealed record SlurmLaunch(IReadOnlyList<string> Command, string JobName, string? StdoutFile, string? StderrFile);

/// <summary>Where a job stands in the queue (<c>PENDING</c>, <c>RUNNING</c>, <c>COMPLETING</c> ...) and why, as squeue says.</summary>
public sealed record SlurmJobState(string State, string Reason)
{
    public bool Pending => State == "PENDING";
}

/// <summary>
/// Everything the agent knows about Slurm, in one place: which jobs it submits and how, the MPI plugin each MPI
/// needs, cancelling a job the agent gave up on, and what the cluster offers. srun and sbatch run outside the
/// sandbox (they must reach slurmctld); each task they start runs the sandbox, so the program itself is confined on
/// the compute node as it is locally. Tasks of one job share an IPC namespace and the job's /tmp and /dev/shm (MPI's
/// shared memory between ranks), but each keeps a private network: MPICH reaches Slurm's PMI-2 through a file
/// descriptor it inherits, while Open MPI's PMIx client needs a TCP connection to slurmstepd that a private network
/// cannot make, so MPI runs through Slurm take MPICH builds.
/// </summary>
public sealed partial class SlurmLauncher(IOptions<AgentOptions> options, ILogger<SlurmLauncher> logger)
{
    public const string Srun = "srun";
    public const string Sbatch = "sbatch";

    /// <summary>Slurm's MPI plugin for MPICH: PMI-2 over an inherited socket, which crosses the sandbox's private network.</summary>
    public const string MpichPlugin = "pmi2";

    /// <summary>How long the agent waits for a cancelled job to leave the queue (its processes are gone by then).</summary>
    private static readonly TimeSpan s_cancelWait = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Reasons a pending job gives when it can never start as asked (more nodes or time than the partition has, an
    /// account or QOS it may not use): waiting would only end at the queue limit.
    /// </summary>
    private static readonly HashSet<string> s_neverStarts =
    [
        "PartitionConfig", "PartitionNodeLimit", "PartitionTimeLimit", "BadConstraints", "InvalidAccount", "InvalidQOS",
        "AccountNotAllowed", "QOSNotAllowed", "DependencyNeverSatisfied",
    ];

    /// <summary>The prefixes of what srun and sbatch say when the cluster refuses a job outright.</summary>
    private static readonly string[] s_refusals = ["srun: error: Unable to allocate resources", "sbatch: error: Batch job submission failed"];

    private SlurmOptions Slurm => options.Value.Slurm;

    /// <summary>Whether runs go to Slurm rather than this machine's cores.</summary>
    public bool Enabled => Slurm.Submit is Srun or Sbatch;

    /// <summary>Why this agent cannot run a job through Slurm, or null when it can.</summary>
    public static string? Refusal(MpiToolchain? mpi) =>
        mpi is not null && mpi.Implementation != MpiToolchain.Mpich
            ? $"MPI runs through Slurm need an MPICH build (srun --mpi={MpichPlugin}); this program was built with {mpi.Version}, whose PMIx client cannot reach slurmstepd from the sandbox's private network"
            : null;

    /// <summary>
    /// The compiler a build uses. Through Slurm the plain MPI wrappers (<c>mpicc</c>, <c>mpicxx</c>: what sweeps ask
    /// for) build with MPICH when they belong to Open MPI here, so that srun can start the program; a wrapper named
    /// for its MPI (<c>mpicc.openmpi</c>) is taken at its word.
    /// </summary>
    public string Compiler(string requested)
    {
        if (!Enabled || MpiToolchain.ForCompiler(requested) is not { Launcher: "mpirun", Implementation: MpiToolchain.OpenMpi } plain
            || MpiToolchain.Installed.FirstOrDefault(t => t.Implementation == MpiToolchain.Mpich && t.Launcher != "mpirun") is not { } mpich)
        {
            return requested;
        }

        return mpich.Compilers[plain.Compilers.ToList().IndexOf(requested)];
    }

    /// <summary>
    /// The variables the agent's Slurm commands get, and pass on to the job's tasks: the search path and where
    /// slurm.conf is. Nothing else of the agent's environment (tokens, keys) reaches the cluster or the program.
    /// </summary>
    public IReadOnlyDictionary<string, string> ClientEnvironment(string searchPath)
    {
        var environment = new Dictionary<string, string> { ["PATH"] = searchPath };
        if ((Slurm.Config ?? Environment.GetEnvironmentVariable("SLURM_CONF")) is { Length: > 0 } config)
        {
            environment["SLURM_CONF"] = config;
        }

        return environment;
    }

    /// <summary>
    /// The command that runs <paramref name="task"/> (the sandbox around the program) as a Slurm job. The wall-clock
    /// limit becomes the job's --time, rounded up to Slurm's whole minutes: a backstop should the agent, whose own
    /// kill is to the tenth of a second, die first. A batch job's script and output live in
    /// <paramref name="controlDirectory"/>, which the program cannot write.
    /// </summary>
    public SlurmLaunch Prepare(SlurmPlacement placement, TimeSpan timeout, string workDirectory, string controlDirectory, byte[] stdin, IReadOnlyList<string> task)
    {
        var jobName = $"kernelsmith-{Guid.NewGuid():n}";
        List<string> job =
        [
            $"--job-name={jobName}",
            $"--ntasks={placement.Tasks}",
            $"--cpus-per-task={placement.CpusPerTask}",
            $"--time={Math.Max(1, (int)Math.Ceiling(timeout.TotalMinutes))}",
            $"--chdir={workDirectory}",
        ];
        if (!string.IsNullOrWhiteSpace(Slurm.Partition))
        {
            job.Add($"--partition={Slurm.Partition}");
        }

        if (!string.IsNullOrWhiteSpace(Slurm.Account))
        {
            job.Add($"--account={Slurm.Account}");
        }

        if (placement.Exclusive)
        {
            // A timing run owns its nodes, as it owns the agent's cores when runs stay local.
            job.Add("--exclusive");
        }
        else
        {
            // A correctness run (amplified inputs at 3 and 5 ranks, sanitizers) is untimed: it may share CPUs, as
            // mpirun --oversubscribe lets it locally, rather than wait for a partition with that many free.
            job.Add("--overcommit");
        }

        job.AddRange(Slurm.ExtraArgs);
        // stdin goes to the first rank only, as mpirun does; a task that fails ends the whole job at once.
        List<string> step = ["--quiet", "--input=0", "--kill-on-bad-exit=1", $"--mpi={(placement.Mpi is null ? "none" : MpichPlugin)}"];
        if (Slurm.Submit == Srun)
        {
            return new SlurmLaunch([Srun, .. job, .. step, .. task], jobName, null, null);
        }

        Directory.CreateDirectory(controlDirectory);
        var input = Path.Combine(controlDirectory, "stdin");
        File.WriteAllBytes(input, stdin);
        var script = Path.Combine(controlDirectory, "job.sh");
        File.WriteAllText(script, $"#!/bin/bash\nexec {Srun} {string.Join(' ', step.Concat(task).Select(Quote))} < {Quote(input)}\n");
        var stdout = Path.Combine(controlDirectory, "stdout");
        var stderr = Path.Combine(controlDirectory, "stderr");
        return new SlurmLaunch([Sbatch, "--wait", "--quiet", .. job, $"--output={stdout}", $"--error={stderr}", script], jobName, stdout, stderr);
    }

    /// <summary>How long a job may wait in the queue before the agent gives up on it (the queue is not the program's fault).</summary>
    public TimeSpan MaxQueueWait => TimeSpan.FromSeconds(Slurm.MaxQueueSeconds);

    /// <summary>Where the job stands in the queue, or null when squeue does not list it (not submitted yet, or gone).</summary>
    public async Task<SlurmJobState?> StateAsync(SlurmLaunch launch, string searchPath)
    {
        var line = (await ClientAsync(searchPath, "squeue", "--noheader", $"--name={launch.JobName}", "--format=%T|%r"))?.Trim();
        return line?.Split('|') is [var state, var reason] ? new SlurmJobState(state, reason) : null;
    }

    /// <summary>Why a pending job will never start as asked, or null while it may still start.</summary>
    public static string? NeverStarts(SlurmJobState state) =>
        state.Pending && s_neverStarts.Contains(state.Reason) ? $"Slurm cannot start this job as asked (pending: {state.Reason})" : null;

    /// <summary>What srun or sbatch said when the cluster refused the job outright, or null when it did not.</summary>
    public static string? Refused(string stderr) =>
        stderr.Split('\n').FirstOrDefault(line => s_refusals.Any(prefix => line.StartsWith(prefix, StringComparison.Ordinal)))?.Trim();

    /// <summary>Cancels a job the agent gave up on and waits until it has left the queue, so that none of its processes outlive the run.</summary>
    public async Task CancelAsync(SlurmLaunch launch, string searchPath)
    {
        await ClientAsync(searchPath, "scancel", $"--name={launch.JobName}", "--full");
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < s_cancelWait)
        {
            var queued = await ClientAsync(searchPath, "squeue", "--noheader", $"--name={launch.JobName}", "--format=%i");
            if (queued is not null && queued.Trim().Length == 0)
            {
                return;
            }

            await Task.Delay(200);
        }

        LogStillQueued(launch.JobName, (int)s_cancelWait.TotalSeconds);
    }

    /// <summary>
    /// What the cluster offers, as one line for the capability report (e.g. <c>slurm-wlm 22.05.8; partitions debug*
    /// (1 nodes, 2 CPUs, up); MPI plugins pmix, pmi2; submits with srun</c>), or null when srun and sbatch are missing
    /// or no controller answers.
    /// </summary>
    public string? Describe()
    {
        var environment = ClientEnvironment(Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin");
        var version = CapabilityProbe.Output(environment, Srun, "--version")?.Trim();
        var partitions = CapabilityProbe.Output(environment, "sinfo", "--noheader", "--format=%P|%D|%C|%a");
        if (version is null || partitions is null || CapabilityProbe.Output(environment, Sbatch, "--version") is null)
        {
            return null;
        }

        var described = partitions.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('|'))
            .Where(fields => fields.Length == 4)
            // %C is allocated/idle/other/total CPUs.
            .Select(fields => $"{fields[0]} ({fields[1]} nodes, {fields[2].Split('/').Last()} CPUs, {fields[3]})");
        // "MPI plugin types are...", one per line, then a line on pmix versions.
        var plugins = (CapabilityProbe.Output(environment, Srun, "--mpi=list") ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.Contains(' ', StringComparison.Ordinal) && line != "none");
        return $"{version}; partitions {string.Join(", ", described)}; MPI plugins {string.Join(", ", plugins)}; submits with {(Enabled ? Slurm.Submit : "none (runs stay local)")}";
    }

    internal static IEnumerable<string> Problems(SlurmOptions slurm)
    {
        if (!string.IsNullOrEmpty(slurm.Submit) && slurm.Submit is not (Srun or Sbatch))
        {
            yield return $"Submit must be '{Srun}', '{Sbatch}' or empty (got '{slurm.Submit}')";
        }

        if (slurm.MaxQueueSeconds < 1)
        {
            yield return $"MaxQueueSeconds must be at least 1 (got {slurm.MaxQueueSeconds})";
        }

        if (!string.IsNullOrEmpty(slurm.Config) && !File.Exists(slurm.Config))
        {
            yield return $"Config names no file (got '{slurm.Config}')";
        }

        foreach (var argument in slurm.ExtraArgs.Where(a => !a.StartsWith('-')))
        {
            yield return $"ExtraArgs must hold options such as --qos=short (got '{argument}')";
        }
    }

    /// <summary>A word the shell reads back unchanged.</summary>
    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private async Task<string?> ClientAsync(string searchPath, string tool, params string[] args) =>
        await Task.Run(() => CapabilityProbe.Output(ClientEnvironment(searchPath), tool, args));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Slurm job {JobName} is still queued {Seconds} s after scancel")]
    private partial void LogStillQueued(string jobName, int seconds);
}
