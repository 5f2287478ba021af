using System.Diagnostics;
using Kernelsmith.Agents.Node.Hosting;
using Microsoft.Extensions.Options;

namespace Kernelsmith.Agents.Node.Execution;

/// <summary>
/// Runs untrusted commands under bubblewrap: a read-only system, no network, private /tmp, /dev/shm and process
/// namespace, the work directory the only writable place on disk (seen inside as <c>/sandbox</c>), a scrubbed
/// environment, kernel limits on CPU time, processes, file size and open files, and a watch on memory, disk and
/// output that kills the whole job when it goes over. A wall-clock limit kills the whole process tree — orphans
/// included, since they die with the namespace. When the agent is root, jobs run as an unprivileged user: the
/// kernel exempts root from the process limit, and a root job could write files the agent later trusts.
/// Through Slurm (see <see cref="SlurmLauncher"/>) the cluster starts the sandboxes; the agent's memory watch then
/// sees only srun, so memory is the cluster's to limit.
/// </summary>
public sealed partial class Sandbox
{
    public const string InsidePath = "/sandbox";
    private const string SearchPath = "/usr/local/bin:/usr/bin:/bin";
    private const int SigXcpu = 24;
    private const int SigXfsz = 25;

    /// <summary>How often the agent looks at a running job: the watch's reaction time.</summary>
    private static readonly TimeSpan s_tick = TimeSpan.FromMilliseconds(100);

    /// <summary>Telemetry goes out every this many ticks.</summary>
    private const int TicksPerReport = 2;

    /// <summary>The most output per stream sent live; the result carries the rest, up to the output limit.</summary>
    private const int StreamedBytes = 64 * 1024;

    private static readonly string[] s_systemBinds = ["/etc/alternatives", "/etc/ld.so.cache", "/etc/openmpi", "/etc/mpich"];

    /// <summary>bubblewrap, and util-linux's prlimit, taskset and setpriv around it.</summary>
    private static readonly Lazy<bool> s_available = new(() =>
        new[] { "bwrap", "prlimit", "taskset", "setpriv" }.All(tool => Capabilities.CapabilityProbe.Version(tool, "--version") is not null));

    /// <summary>
    /// The job's /tmp and /dev/shm, inside its work directory: on disk, so what a program puts there counts against the
    /// disk limit (a RAM-backed tmpfs escaped the memory limit), and under Slurm where the tasks' sandboxes meet.
    /// </summary>
    private const string ScratchTmp = ".scratch-tmp";
    private const string ScratchShm = ".scratch-shm";

    private readonly AgentOptions _options;
    private readonly SlurmLauncher _slurm;

    public Sandbox(IOptions<AgentOptions> options, SlurmLauncher slurm)
    {
        _options = options.Value;
        _slurm = slurm;
        JobUid = Environment.IsPrivilegedProcess ? _options.SandboxUid : null;
    }

    public static bool IsAvailable => s_available.Value;

    /// <summary>Whether a tool is on the search path jobs get (everything there lies under /usr, which jobs see).</summary>
    public static bool IsInstalled(string tool) => SearchPath.Split(':').Any(directory => File.Exists(Path.Combine(directory, tool)));

    /// <summary>The user jobs run as when the agent is root; null when jobs simply run as the agent's own user.</summary>
    public int? JobUid { get; }

    public async Task<SandboxOutcome> RunAsync(SandboxCommand command, ISandboxObserver? observer, CancellationToken cancellationToken)
    {
        var controlDirectory = command.WorkDirectory + ".slurm";
        try
        {
            return await RunLaunchedAsync(command, controlDirectory, observer, cancellationToken);
        }
        finally
        {
            if (Directory.Exists(controlDirectory))
            {
                Workspace.Delete(controlDirectory);
            }
        }
    }

    private async Task<SandboxOutcome> RunLaunchedAsync(SandboxCommand command, string controlDirectory, ISandboxObserver? observer, CancellationToken cancellationToken)
    {
        SlurmLaunch? slurm = null;
        List<string> launch;
        using var cpuset = command.Slurm is null ? CpusetConfinement.TryCreate(command.Cores, $"job-{Guid.NewGuid():n}") : null;
        foreach (var scratch in new[] { ScratchTmp, ScratchShm }.Select(name => Directory.CreateDirectory(Path.Combine(command.WorkDirectory, name)).FullName))
        {
            if (JobUid is { } owner)
            {
                Workspace.HandOver(scratch, owner);
            }
        }

        if (command.Slurm is { } placement)
        {

            slurm = _slurm.Prepare(placement, command.Timeout, command.WorkDirectory, controlDirectory, command.Stdin, [.. SandboxArguments(command)]);
            launch = [.. slurm.Command];
        }
        else
        {
            launch = [.. cpuset?.Prefix ?? [], .. Pinning(command), .. SandboxArguments(command)];
        }

        var info = new ProcessStartInfo(launch[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in launch.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        // The agent's own environment (tokens, keys, credentials) never reaches the program.
        info.Environment.Clear();
        foreach (var (name, value) in slurm is null ? new Dictionary<string, string> { ["PATH"] = SearchPath } : _slurm.ClientEnvironment(SearchPath))
        {
            info.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{launch[0]} did not start");
        var stdout = new CappedBuffer(_options.MaxOutputBytes);
        var stderr = new CappedBuffer(_options.MaxOutputBytes);
        var readOut = stdout.DrainAsync(process.StandardOutput.BaseStream);
        var readErr = stderr.DrainAsync(process.StandardError.BaseStream);
        var watch = new Watch(process, command, stdout, stderr, slurm, _slurm, _options, observer, clock);
        try
        {
            // A batch job reads its input from a file; sbatch itself gets none.
            var feed = FeedAsync(process, slurm?.StdoutFile is null ? command.Stdin : [], cancellationToken);
            await watch.RunAsync(cancellationToken);
            await feed;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync(CancellationToken.None);
            // Killing srun or sbatch leaves the job on the cluster: it is cancelled, and gone, before the run returns.
            if (slurm is not null && (watch.TimedOut || watch.Killed is not null || watch.Fault is not null || cancellationToken.IsCancellationRequested))
            {
                await _slurm.CancelAsync(slurm, SearchPath);
            }
        }

        // Under Slurm the run's time starts once the job left the queue.
        var wall = clock.Elapsed - watch.Queued;
        // Once the namespace is gone nothing holds the pipes open; the wait only guards against the unforeseen.
        await Task.WhenAll(readOut, readErr).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        cancellationToken.ThrowIfCancellationRequested();
        if (observer is not null)
        {
            await watch.ReportOutputAsync();
        }

        var fault = watch.Fault ?? (slurm is not null && process.ExitCode != 0 && !watch.TimedOut
            ? SlurmLauncher.Refused(System.Text.Encoding.UTF8.GetString(stderr.ToArray()))
            : null);
        if (slurm is { StdoutFile: { } outFile, StderrFile: { } errFile })
        {
            // sbatch said nothing when it succeeded; the job's output is in the files the cluster wrote.
            stdout.Append(ReadCapped(outFile));
            stderr.Append(ReadCapped(errFile));
        }

        var (cpuSeconds, report) = CpuClock.Find(stderr.ToArray());
        stderr.DropLast(report);
        var (exitCode, signal) = Decode(process.ExitCode);
        var limit = watch.Killed ?? signal switch
        {
            SigXcpu => new LimitHit("cpu", $"CPU time limit {CpuSeconds(command)} s"),
            SigXfsz => new LimitHit("file_size", $"file size limit {SandboxLimits.Bytes(_options.Limits.FileSizeBytes)}"),
            _ => null,
        };
        return new SandboxOutcome(
            watch.TimedOut, limit, exitCode, signal, stdout.ToArray(), stderr.ToArray(), stdout.Truncated, stderr.Truncated, wall,
            watch.PeakPrivateBytes, watch.PeakProcesses, fault, cpuSeconds);
    }

    private static async Task FeedAsync(Process process, byte[] stdin, CancellationToken cancellationToken)
    {
        try
        {
            await process.StandardInput.BaseStream.WriteAsync(stdin, cancellationToken);
            process.StandardInput.Close();
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // The program exited, or was killed, without reading all its input.
        }
    }

    /// <summary>What a batch job left in one of its output files, no more than the output limit (and one byte to tell it went over).</summary>
    private byte[] ReadCapped(string path)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        using var file = File.OpenRead(path);
        var bytes = new byte[(int)Math.Min(file.Length, _options.MaxOutputBytes + 1L)];
        file.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>taskset: a local job starts on the cores it holds (and stays there when a cpuset holds it too).</summary>
    private static IEnumerable<string> Pinning(SandboxCommand command) =>
        command.Cores.Count > 0 ? ["taskset", "--cpu-list", CpuList.Format(command.Cores)] : [];

    /// <summary>
    /// setpriv (the job's user, when the agent is root) ▸ bwrap (the sandbox) ▸ prlimit (kernel limits) ▸ bash (the
    /// site's prelude, when there is one) ▸ the command. Each execs the next, so the command is bwrap's child and
    /// its exit status is the job's. Locally taskset comes first; under Slurm this is what each task runs.
    /// </summary>
    private IEnumerable<string> SandboxArguments(SandboxCommand command)
    {
        if (JobUid is { } uid)
        {
            yield return "setpriv";
            yield return $"--reuid={uid}";
            yield return $"--regid={uid}";
            yield return "--clear-groups";
        }

        yield return "bwrap";
        foreach (var argument in BwrapArguments(command))
        {
            yield return argument;
        }

        yield return "--";
        var limits = _options.Limits;
        yield return "prlimit";
        // The soft CPU limit sends SIGXCPU, which names the cause; the hard one, a second later, kills a program that ignores it.
        yield return $"--cpu={CpuSeconds(command)}:{CpuSeconds(command) + 1}";
        yield return $"--nproc={limits.Processes}";
        yield return $"--fsize={limits.FileSizeBytes}";
        yield return $"--nofile={limits.OpenFiles}";
        yield return "--core=0";
        if (limits.AddressSpaceBytes > 0)
        {
            yield return $"--as={limits.AddressSpaceBytes}";
        }

        yield return "--";
        if (command.Slurm is null)
        {
            foreach (var argument in CpuClock.Arguments)
            {
                yield return argument;
            }
        }

        if (!string.IsNullOrWhiteSpace(_options.Prelude))
        {
            yield return "bash";
            yield return "-c";
            yield return _options.Prelude + "\nexec \"$@\"";
            yield return "kernelsmith-prelude";
        }

        foreach (var part in command.Command)
        {
            yield return part;
        }
    }

    private IEnumerable<string> BwrapArguments(SandboxCommand command)
    {
        // Slurm starts one sandbox per task: ranks meet in the job's shared /tmp and /dev/shm and a shared IPC
        // namespace (MPICH's UCX finds peers' shared memory only there); network, processes and the rest stay private.
        string[] namespaces = command.Slurm is null
            ? ["--unshare-all"]
            : ["--unshare-user-try", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"];
        string[] scratch =
        [
            "--bind", Path.Combine(command.WorkDirectory, ScratchShm), "/dev/shm", "--bind", Path.Combine(command.WorkDirectory, ScratchTmp), "/tmp",
            .. namespaces,
        ];
        string[] fixedArguments =
        [
            "--ro-bind", "/usr", "/usr",
            "--symlink", "usr/bin", "/bin",
            "--symlink", "usr/lib", "/lib",
            "--symlink", "usr/lib64", "/lib64",
            "--symlink", "usr/sbin", "/sbin",
            "--dev", "/dev",
            "--proc", "/proc",
            // Read-only: MPI's hwloc reads the CPU topology here.
            "--ro-bind", "/sys", "/sys",
            "--bind", command.WorkDirectory, InsidePath,
            .. scratch,
            "--chdir", InsidePath,
            "--die-with-parent",
            "--new-session",
            "--cap-drop", "ALL",
            "--setenv", "HOME", InsidePath,
            "--setenv", "TMPDIR", "/tmp",
        ];
        if (command.Slurm is null && CpuClock.Arguments.Count > 0)
        {
            // GNU time is the namespace's init: the program cannot kill it (nothing inside can signal its init), and
            // when it exits, whatever the program left behind dies with the namespace.
            yield return "--as-pid-1";
        }

        foreach (var argument in fixedArguments)
        {
            yield return argument;
        }

        foreach (var bind in s_systemBinds.Concat(_options.ReadOnlyPaths).Where(Path.Exists))
        {
            yield return "--ro-bind";
            yield return bind;
            yield return bind;
        }

        // CUDA programs reach the GPU through these device nodes, as flatpak passes them to its sandboxes.
        foreach (var device in Directory.EnumerateFileSystemEntries("/dev", "nvidia*"))
        {
            yield return "--dev-bind";
            yield return device;
            yield return device;
        }

        // Last: the sandbox's root (a tmpfs of its own) must not become a place to fill memory.
        yield return "--remount-ro";
        yield return "/";

        foreach (var (name, value) in command.Environment)
        {
            yield return "--setenv";
            yield return name;
            yield return value;
        }
    }

    private long CpuSeconds(SandboxCommand command) => (long)_options.Limits.CpuSeconds * Math.Max(1, command.Threads);

    /// <summary>bwrap reports a program killed by signal N as exit code 128 + N, as shells do.</summary>
    private static (int ExitCode, int Signal) Decode(int exitCode) =>
        exitCode > 128 && exitCode < 128 + 65 ? (exitCode, exitCode - 128) : (exitCode, 0);
}
