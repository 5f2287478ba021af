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
/// Where a workload manager starts the sandboxes (<see cref="ITaskLaunch"/>: Slurm), the agent's memory watch sees
/// only what submitted them, so memory is the cluster's to limit.
/// </summary>
public sealed partial class Sandbox
{
    public const string InsidePath = "/sandbox";
    public const string SearchPath = "/usr/local/bin:/usr/bin:/bin";
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

    public Sandbox(IOptions<AgentOptions> options)
    {
        _options = options.Value;
        JobUid = Environment.IsPrivilegedProcess ? _options.SandboxUid : null;
    }

    public static bool IsAvailable => s_available.Value;

    /// <summary>Whether a tool is on the search path jobs get (everything there lies under /usr, which jobs see).</summary>
    public static bool IsInstalled(string tool) => SearchPath.Split(':').Any(directory => File.Exists(Path.Combine(directory, tool)));

    /// <summary>The user jobs run as when the agent is root; null when jobs simply run as the agent's own user.</summary>
    public int? JobUid { get; }

    public async Task<SandboxOutcome> RunAsync(SandboxCommand command, ISandboxObserver? observer, CancellationToken cancellationToken)
    {
        var launch = command.Launch ?? DirectLaunch.Instance;
        var confinement = launch.Confinement;
        using var cpuset = confinement.Pinned ? CpusetConfinement.TryCreate(command.Cores, $"job-{Guid.NewGuid():n}") : null;
        foreach (var scratch in new[] { ScratchTmp, ScratchShm }.Select(name => Directory.CreateDirectory(Path.Combine(command.WorkDirectory, name)).FullName))
        {
            if (JobUid is { } owner)
            {
                Workspace.HandOver(scratch, owner);
            }
        }

        IReadOnlyList<string> task = confinement.Pinned
            ? [.. cpuset?.Prefix ?? [], .. Pinning(command), .. SandboxArguments(command, confinement)]
            : [.. SandboxArguments(command, confinement)];
        using var launched = launch.Prepare(command, task, SearchPath);
        var info = new ProcessStartInfo(launched.Command[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in launched.Command.Skip(1))
        {
            info.ArgumentList.Add(argument);
        }

        // The agent's own environment (tokens, keys, credentials) never reaches the program.
        info.Environment.Clear();
        foreach (var (name, value) in launched.Environment)
        {
            info.Environment[name] = value;
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{launched.Command[0]} did not start");
        var stdout = new CappedBuffer(_options.MaxOutputBytes);
        var stderr = new CappedBuffer(_options.MaxOutputBytes);
        var readOut = stdout.DrainAsync(process.StandardOutput.BaseStream);
        var readErr = stderr.DrainAsync(process.StandardError.BaseStream);
        var watch = new Watch(process, command, stdout, stderr, launched, _options, observer, clock);
        try
        {
            var feed = FeedAsync(process, launched.Stdin, cancellationToken);
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
            if (watch.TimedOut || watch.Killed is not null || watch.Fault is not null || cancellationToken.IsCancellationRequested)
            {
                await launched.AbandonAsync();
            }
        }

        // A task that waited in a queue starts its run's time once it left it.
        var wall = clock.Elapsed - watch.Queued;
        // Once the namespace is gone nothing holds the pipes open; the wait only guards against the unforeseen.
        await Task.WhenAll(readOut, readErr).WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
        cancellationToken.ThrowIfCancellationRequested();
        if (observer is not null)
        {
            await watch.ReportOutputAsync();
        }

        var fault = watch.Fault ?? (process.ExitCode != 0 && !watch.TimedOut ? launched.Refused(System.Text.Encoding.UTF8.GetString(stderr.ToArray())) : null);
        var (unpipedOut, unpipedErr) = launched.UnpipedOutput(_options.MaxOutputBytes);
        stdout.Append(unpipedOut);
        stderr.Append(unpipedErr);
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

    /// <summary>taskset: a local job starts on the cores it holds (and stays there when a cpuset holds it too).</summary>
    private static IEnumerable<string> Pinning(SandboxCommand command) =>
        command.Cores.Count > 0 ? ["taskset", "--cpu-list", CpuList.Format(command.Cores)] : [];

    /// <summary>
    /// setpriv (the job's user, when the agent is root) ▸ bwrap (the sandbox) ▸ prlimit (kernel limits) ▸ bash (the
    /// site's prelude, when there is one) ▸ the command. Each execs the next, so the command is bwrap's child and
    /// its exit status is the job's. Locally taskset comes first; under Slurm this is what each task runs.
    /// </summary>
    private IEnumerable<string> SandboxArguments(SandboxCommand command, TaskConfinement confinement)
    {
        if (JobUid is { } uid)
        {
            yield return "setpriv";
            yield return $"--reuid={uid}";
            yield return $"--regid={uid}";
            yield return "--clear-groups";
        }

        yield return "bwrap";
        foreach (var argument in BwrapArguments(command, confinement))
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
        if (confinement.Clocked)
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

    private IEnumerable<string> BwrapArguments(SandboxCommand command, TaskConfinement confinement)
    {
        string[] scratch =
        [
            "--bind", Path.Combine(command.WorkDirectory, ScratchShm), "/dev/shm", "--bind", Path.Combine(command.WorkDirectory, ScratchTmp), "/tmp",
            .. confinement.Namespaces,
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
        if (confinement.Clocked && CpuClock.Arguments.Count > 0)
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
