using Kernelsmith.Agents.Node.Execution;
using Kernelsmith.Agents.Node.Jobs;
using Microsoft.Extensions.Options;

namespace Kernelsmith.Agents.Node.Hosting;

/// <summary>How a node agent identifies itself, where it works and how it confines jobs. Bound from the <c>Agent</c> section.</summary>
public sealed class AgentOptions
{
    public const string Section = "Agent";

    /// <summary>Unique id of the agent in the cluster; defaults to the host name and port.</summary>
    public string? Id { get; set; }

    /// <summary>The pool the agent belongs to (e.g. multicore, mpi, gpu).</summary>
    public string Pool { get; set; } = "default";

    /// <summary>
    /// The silo's gRPC address the agent registers with, e.g. http://127.0.0.1:5070, or several separated by commas:
    /// while one is down the agent registers with and heartbeats to the next, so it stays in the cluster.
    /// </summary>
    public string? Silo { get; set; }

    /// <summary>
    /// The gRPC URL the silo dials this agent at, e.g. <c>http://10.1.2.3:5080</c> in a pod (its IP); default: the
    /// address the agent listens on, a wildcard read as 127.0.0.1.
    /// </summary>
    public string? Address { get; set; }

    /// <summary>The addresses in <see cref="Silo"/>.</summary>
    public IReadOnlyList<string> Silos => (Silo ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Where build and run directories and the artifact cache live.</summary>
    public string WorkRoot { get; set; } = Path.Combine(Path.GetTempPath(), "kernelsmith-agent");

    /// <summary>The most bytes of stdout and of stderr kept per job; a job that writes more is killed.</summary>
    public int MaxOutputBytes { get; set; } = 1 << 20;

    /// <summary>
    /// The logical CPUs jobs may use, as a list such as <c>2-15</c> or <c>0,2,4-7</c>; by default every CPU the
    /// agent may run on. Leaving one out keeps it for the agent and the operating system.
    /// </summary>
    public string? Cores { get; set; }

    /// <summary>
    /// Shell lines run by bash inside the sandbox before every build and run, e.g. <c>module load gcc/12</c> or
    /// <c>source /opt/site/env.sh</c>. What it reads must be visible in the sandbox: see <see cref="ReadOnlyPaths"/>.
    /// </summary>
    public string? Prelude { get; set; }

    /// <summary>Host directories the sandbox sees read-only at the same path, e.g. <c>/opt</c> for site software.</summary>
    public List<string> ReadOnlyPaths { get; set; } = [];

    /// <summary>
    /// The unprivileged user id jobs run as when the agent runs as root: the kernel does not count root's
    /// processes against a process limit, and a job must not own the agent's files.
    /// </summary>
    public int SandboxUid { get; set; } = 65534;

    /// <summary>
    /// When true (the default), a timing run holds every core of the agent and runs pinned to as many as it has
    /// threads x ranks, the rest left idle. Measured here: a sequential program timed at 2 threads came out 1.2x
    /// "faster" than the reference timed on one core while a compile ran on the other, memory bandwidth and cache
    /// shared with the neighbour. False holds only threads x ranks cores: more throughput, noisier speedups.
    /// </summary>
    public bool TimingRunsOwnTheNode { get; set; } = true;

    /// <summary>
    /// Offer the cluster only these of the detected technologies (e.g. <c>mpi</c>, to keep an MPI node for MPI work);
    /// empty offers all that were detected.
    /// </summary>
    public List<string> Technologies { get; set; } = [];

    /// <summary>
    /// The node's calibration from <c>kernelsmith calibrate</c>, reported with the capabilities and carried in every
    /// record's provenance when it was taken on this hardware (default: <see cref="Contracts.Experiments.CalibrationFile.DefaultPath"/>).
    /// </summary>
    public string? CalibrationFile { get; set; }

    /// <summary>The resource limits every build and run gets.</summary>
    public SandboxLimits Limits { get; set; } = new();

    /// <summary>Whether runs go to a Slurm cluster (an agent on a login node) instead of this machine's cores.</summary>
    public SlurmOptions Slurm { get; set; } = new();
}

/// <summary>
/// How an agent on a Slurm login node hands its runs to the cluster. Builds stay on the login node; every run
/// becomes a Slurm job whose tasks each start the sandbox on a compute node. Bound from <c>Agent:Slurm</c>.
/// </summary>
public sealed class SlurmOptions
{
    /// <summary>
    /// <c>srun</c> (interactive job steps, output streamed back) or <c>sbatch</c> (a batch script submitted with
    /// <c>--wait</c>, for sites that allow only batch jobs from login nodes); empty: runs stay on this machine.
    /// </summary>
    public string? Submit { get; set; }

    /// <summary>The partition jobs go to; the cluster's default when empty.</summary>
    public string? Partition { get; set; }

    /// <summary>The account jobs are charged to; the user's default when empty.</summary>
    public string? Account { get; set; }

    /// <summary>Further srun/sbatch options the site needs, one per entry, e.g. <c>--qos=short</c> or <c>--constraint=skylake</c>.</summary>
    public List<string> ExtraArgs { get; set; } = [];

    /// <summary>
    /// How long a run may wait in the queue; its wall-clock limit and measured time start only once it runs. A run
    /// that waits longer, or that Slurm can never start as asked, is the agent's failure, not the program's.
    /// </summary>
    public int MaxQueueSeconds { get; set; } = 3600;

    /// <summary>The slurm.conf the agent's Slurm commands read (as <c>SLURM_CONF</c>); empty: Slurm's own default.</summary>
    public string? Config { get; set; }
}

internal sealed class AgentOptionsValidator : IValidateOptions<AgentOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentOptions options)
    {
        var failures = new List<string>();
        if (options.Silos.Count == 0 || options.Silos.Any(silo => !Uri.TryCreate(silo, UriKind.Absolute, out _)))
        {
            failures.Add($"{AgentOptions.Section}:Silo must be the silo's gRPC URL, or several separated by commas (got '{options.Silo}')");
        }

        if (options.Address is { Length: > 0 } address && !Uri.TryCreate(address, UriKind.Absolute, out _))
        {
            failures.Add($"{AgentOptions.Section}:Address must be the URL the silo dials the agent at (got '{address}')");
        }

        if (string.IsNullOrWhiteSpace(options.Pool))
        {
            failures.Add($"{AgentOptions.Section}:Pool must not be empty");
        }

        if (options.MaxOutputBytes < 1024)
        {
            failures.Add($"{AgentOptions.Section}:MaxOutputBytes must be at least 1024");
        }

        if (options.Cores is not null && !CpuList.TryParse(options.Cores, out _))
        {
            failures.Add($"{AgentOptions.Section}:Cores must be a CPU list such as 0-3,6 (got '{options.Cores}')");
        }

        if (options.SandboxUid <= 0)
        {
            failures.Add($"{AgentOptions.Section}:SandboxUid must be an unprivileged user id (got {options.SandboxUid})");
        }

        if (Environment.IsPrivilegedProcess && UntraversableAncestor(options.WorkRoot) is { } closed)
        {
            failures.Add($"{AgentOptions.Section}:WorkRoot '{options.WorkRoot}' lies in {closed}, which others cannot enter: jobs run as uid {options.SandboxUid} and must reach their directory");
        }

        failures.AddRange(options.Technologies.Where(t => !Contracts.Sweeps.Technologies.All.Contains(t))
            .Select(t => $"{AgentOptions.Section}:Technologies: unknown technology '{t}' (known: {string.Join(", ", Contracts.Sweeps.Technologies.All)})"));
        failures.AddRange(options.ReadOnlyPaths.Where(p => !Path.IsPathFullyQualified(p))
            .Select(p => $"{AgentOptions.Section}:ReadOnlyPaths must hold absolute paths (got '{p}')"));
        failures.AddRange(SlurmLauncher.Problems(options.Slurm).Select(p => $"{AgentOptions.Section}:Slurm:{p}"));
        failures.AddRange(options.Limits.Problems().Select(p => $"{AgentOptions.Section}:Limits:{p}"));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The first existing directory on the way to <paramref name="path"/>, itself included, that others may not pass through.</summary>
    private static string? UntraversableAncestor(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        for (var directory = Path.GetFullPath(path); directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (Directory.Exists(directory) && !File.GetUnixFileMode(directory).HasFlag(UnixFileMode.OtherExecute))
            {
                return directory;
            }
        }

        return null;
    }
}
