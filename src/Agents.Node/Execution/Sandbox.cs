using System.Diagnostics;
using Kernelsmith.Agents.Node.Hosting;
using Microsoft.Extensions.Options;

namespace Kernelsmith.Agents.Node.Execution;

/// <summary>
/// What a sandboxed command should do, on which cores, with how many threads per process, for how long; with a
/// Slurm placement it runs as a Slurm job instead, one sandbox per task, wherever the cluster puts them.
/// </summary>
public sealed record SandboxCommand(
    string WorkDirectory,
    IReadOnlyList<string> Command,
    IReadOnlyDictionary<string, string> Environment,
    byte[] Stdin,
    TimeSpan Timeout,
    IReadOnlyList<int> Cores,
    int Threads,
    SlurmPlacement? Slurm = null);

/// <summary>A limit the job went over, by name (<c>memory</c>, <c>cpu</c>, <c>file_size</c>, <c>disk</c>, <c>output</c>) and as people read it.</summary>
public sealed record LimitHit(string Name, string Description);

/// <summary>What a sandboxed command did; <see cref="Fault"/> says why the agent could not run it (a Slurm job refused or never started), which is no verdict on the program.</summary>
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
    string? Fault = null);

/// <summary>What a job's processes used over the last sampling interval.</summary>
public sealed record ResourceUsage(TimeSpan Elapsed, double CpuPercent, long PrivateBytes, int Processes, long DiskBytes);

/// <summary>Receives a job's telemetry while it runs, one call at a time.</summary>
public interface ISandboxObserver
{
    ValueTask OutputAsync(bool isStderr, ReadOnlyMemory<byte> data);

    ValueTask UsageAsync(ResourceUsage usage);
}

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
public sealed class Sandbox
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

        var (exitCode, signal) = Decode(process.ExitCode);
        var limit = watch.Killed ?? signal switch
        {
            SigXcpu => new LimitHit("cpu", $"CPU time limit {CpuSeconds(command)} s"),
            SigXfsz => new LimitHit("file_size", $"file size limit {SandboxLimits.Bytes(_options.Limits.FileSizeBytes)}"),
            _ => null,
        };
        return new SandboxOutcome(
            watch.TimedOut, limit, exitCode, signal, stdout.ToArray(), stderr.ToArray(), stdout.Truncated, stderr.Truncated, wall,
            watch.PeakPrivateBytes, watch.PeakProcesses, fault);
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

    /// <summary>
    /// Looks at a running job every tick: kills it when it outlives its time or goes over its memory, disk or output
    /// limit, and reports its output and resource use to the observer.
    /// </summary>
    private sealed class Watch(
        Process process,
        SandboxCommand command,
        CappedBuffer stdout,
        CappedBuffer stderr,
        SlurmLaunch? slurm,
        SlurmLauncher launcher,
        AgentOptions options,
        ISandboxObserver? observer,
        Stopwatch clock)
    {
        /// <summary>How often a Slurm job is looked up in the queue until it runs.</summary>
        private static readonly TimeSpan s_queuePoll = TimeSpan.FromSeconds(1);

        private long _lastTicks;
        private TimeSpan _lastSample;
        private TimeSpan _nextQueuePoll = s_queuePoll;
        private bool _left;

        /// <summary>How long a Slurm job was last seen waiting in the queue: its run's clock starts there.</summary>
        public TimeSpan Queued { get; private set; }

        /// <summary>Why the agent gave up on a Slurm job that could not start.</summary>
        public string? Fault { get; private set; }

        public bool TimedOut { get; private set; }

        public LimitHit? Killed { get; private set; }

        public long PeakPrivateBytes { get; private set; }

        public int PeakProcesses { get; private set; }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var exited = process.WaitForExitAsync(CancellationToken.None);
            for (var tick = 1; ; tick++)
            {
                var remaining = command.Timeout + Queued - clock.Elapsed;
                var wait = remaining < s_tick ? remaining : s_tick;
                if (wait > TimeSpan.Zero)
                {
                    await Task.WhenAny(exited, Task.Delay(wait, cancellationToken));
                }

                cancellationToken.ThrowIfCancellationRequested();
                if (exited.IsCompleted)
                {
                    return;
                }

                if (slurm is not null && !_left && clock.Elapsed >= _nextQueuePoll && await QueueFaultAsync() is { } fault)
                {
                    Fault = fault;
                    Kill();
                    return;
                }

                if (clock.Elapsed - Queued >= command.Timeout)
                {
                    TimedOut = true;
                    Kill();
                    return;
                }

                var usage = Measure();
                if (Over(usage) is { } limit)
                {
                    Killed = limit;
                    Kill();
                    return;
                }

                if (observer is not null && tick % TicksPerReport == 0)
                {
                    await ReportOutputAsync();
                    await observer.UsageAsync(usage);
                }
            }
        }

        /// <summary>
        /// Follows a Slurm job until it leaves the queue, moving the start of its wall clock along while it waits;
        /// returns why it never will start, when it will not.
        /// </summary>
        private async Task<string?> QueueFaultAsync()
        {
            var state = await launcher.StateAsync(slurm!, SearchPath);
            _nextQueuePoll = clock.Elapsed + s_queuePoll;
            if (state is null)
            {
                // Not submitted yet, or already gone: look again.
                return null;
            }

            if (!state.Pending)
            {
                _left = true;
                return null;
            }

            Queued = clock.Elapsed;
            return SlurmLauncher.NeverStarts(state)
                ?? (Queued > launcher.MaxQueueWait ? $"waited {Queued.TotalSeconds:0} s in Slurm's queue (pending: {state.Reason})" : null);
        }

        public async Task ReportOutputAsync()
        {
            if (stdout.TakeUnsent(StreamedBytes) is { Length: > 0 } outChunk)
            {
                await observer!.OutputAsync(false, outChunk);
            }

            if (stderr.TakeUnsent(StreamedBytes) is { Length: > 0 } errChunk)
            {
                await observer!.OutputAsync(true, errChunk);
            }
        }

        private ResourceUsage Measure()
        {
            var tree = ProcessTree.Measure(process.Id);
            var now = clock.Elapsed;
            var cpuSeconds = (tree.CpuTicks - _lastTicks) / ProcessTree.TicksPerSecond;
            var interval = (now - _lastSample).TotalSeconds;
            _lastTicks = tree.CpuTicks;
            _lastSample = now;
            PeakPrivateBytes = Math.Max(PeakPrivateBytes, tree.PrivateBytes);
            PeakProcesses = Math.Max(PeakProcesses, tree.Processes);
            var cpuPercent = interval > 0 ? Math.Max(0, cpuSeconds / interval * 100) : 0;
            return new ResourceUsage(now, cpuPercent, tree.PrivateBytes, tree.Processes, Workspace.DiskUsage(command.WorkDirectory));
        }

        private LimitHit? Over(ResourceUsage usage)
        {
            var limits = options.Limits;
            if (usage.PrivateBytes > limits.MemoryBytes)
            {
                return new LimitHit("memory", $"memory limit {SandboxLimits.Bytes(limits.MemoryBytes)}");
            }

            if (usage.DiskBytes > limits.DiskBytes)
            {
                return new LimitHit("disk", $"disk limit {SandboxLimits.Bytes(limits.DiskBytes)} in the work directory");
            }

            return stdout.Truncated || stderr.Truncated || BatchOutputBytes() > options.MaxOutputBytes
                ? new LimitHit("output", $"output limit {SandboxLimits.Bytes(options.MaxOutputBytes)}")
                : null;
        }

        /// <summary>The larger of a batch job's two output files: what it wrote so far, which no pipe caps.</summary>
        private long BatchOutputBytes() =>
            slurm is { StdoutFile: { } outFile, StderrFile: { } errFile }
                ? new[] { outFile, errFile }.Max(path => File.Exists(path) ? new FileInfo(path).Length : 0)
                : 0;

        private void Kill()
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited on its own meanwhile.
            }
        }
    }

    /// <summary>A pipe drained into memory up to a capacity; what comes after is dropped and noted.</summary>
    private sealed class CappedBuffer(int capacity)
    {
        private readonly MemoryStream _kept = new();
        private readonly Lock _lock = new();
        private int _sent;

        public bool Truncated { get; private set; }

        public async Task DrainAsync(Stream stream)
        {
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                Append(buffer.AsSpan(0, read));
            }
        }

        /// <summary>Keeps data up to the capacity (a batch job's output file arrives this way, as though down the pipe).</summary>
        public void Append(ReadOnlySpan<byte> data)
        {
            lock (_lock)
            {
                var room = (int)Math.Min(data.Length, capacity - _kept.Length);
                if (room > 0)
                {
                    _kept.Write(data[..room]);
                }

                Truncated |= room < data.Length;
            }
        }

        /// <summary>What arrived since the last call, as long as no more than <paramref name="budget"/> bytes were sent in all.</summary>
        public byte[] TakeUnsent(int budget)
        {
            lock (_lock)
            {
                var count = (int)Math.Min(_kept.Length, budget) - _sent;
                if (count <= 0)
                {
                    return [];
                }

                var chunk = _kept.GetBuffer().AsSpan(_sent, count).ToArray();
                _sent += count;
                return chunk;
            }
        }

        public byte[] ToArray()
        {
            lock (_lock)
            {
                return _kept.ToArray();
            }
        }
    }
}
