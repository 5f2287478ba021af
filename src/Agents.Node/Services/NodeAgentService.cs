using System.Globalization;
using Google.Protobuf;
using Grpc.Core;
using Kernelsmith.Agents.Node.Capabilities;
using Kernelsmith.Agents.Node.Execution;
using Kernelsmith.Agents.Node.Hosting;
using Kernelsmith.Agents.Node.Measurement;
using Kernelsmith.Agents.Node.Telemetry;
using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Protos;
using Microsoft.Extensions.Options;

namespace Kernelsmith.Agents.Node.Services;

/// <summary>
/// The agent's gRPC face: build and run jobs, each streamed back as queued, started, output and resource samples
/// while it runs, then its result with the job's timeline (cores held, queued, started, finished).
/// </summary>
public sealed partial class NodeAgentService(
    Sandbox sandbox,
    SlurmLauncher slurm,
    Workspace workspace,
    CoreLedger cores,
    GpuLedger gpus,
    AgentIdentity identity,
    IOptions<AgentOptions> options,
    ILogger<NodeAgentService> logger) : NodeAgent.NodeAgentBase
{
    private static readonly HashSet<string> s_compilers = ["gcc", "g++", "cc", "c++", "clang", "clang++", "nvcc"];

    private static readonly HashSet<string> s_compiledExtensions = [".c", ".cc", ".cpp", ".cxx", ".cu"];

    public override async Task Build(BuildJob request, IServerStreamWriter<JobUpdate> responseStream, ServerCallContext context)
    {
        var queued = DateTimeOffset.UtcNow;
        var compiler = slurm.Compiler(request.Compiler);
        if (Refusal(compiler) is { } refusal)
        {
            await responseStream.WriteAsync(Result(JobResult.Types.Status.AgentError, refusal));
            return;
        }

        var artifactId = Workspace.ArtifactId(request);
        var toolchain = identity.ToolVersion(compiler);
        if (workspace.FindArtifact(artifactId) is not null)
        {
            var now = queued.ToUnixTimeMilliseconds();
            await responseStream.WriteAsync(new JobUpdate
            {
                Result = new JobResult
                {
                    ArtifactId = artifactId, Toolchain = toolchain, Message = "cached", Cached = true,
                    QueuedUnixMs = now, StartedUnixMs = now, FinishedUnixMs = now,
                },
            });
            return;
        }

        await responseStream.WriteAsync(Queued(1, exclusive: false, queued));
        using var reservation = await cores.ReserveAsync(1, context.CancellationToken);
        using var sandboxed = AgentInstrumentation.StartSandbox("build", request.JobId, reservation.Cores.Count);
        var started = DateTimeOffset.UtcNow;
        await responseStream.WriteAsync(Started(reservation.Cores, started));
        var directory = workspace.NewJobDirectory();
        JobResult result;
        try
        {
            Workspace.WriteFiles(directory, request.Files);
            var sources = request.Files.Select(f => f.Path).Where(p => s_compiledExtensions.Contains(Path.GetExtension(p)));
            List<string> command = [compiler, .. request.Flags, .. sources, "-o", Workspace.ProgramName, .. request.Libraries];
            var outcome = await RunSandboxedAsync(directory, command, new Dictionary<string, string>(), [], request.TimeoutMs, reservation.Cores, 1, responseStream, context);
            result = ToResult(outcome, request.TimeoutMs, reservation.Cores, queued, started);
            result.Toolchain = toolchain;
            sandboxed.Finished(result);
            if (result.Status == JobResult.Types.Status.Exited && outcome.ExitCode == 0 && Workspace.RegularFile(directory, Workspace.ProgramName) is { } program)
            {
                workspace.StoreArtifact(artifactId, program, MpiToolchain.ForCompiler(compiler)?.Launcher);
                result.ArtifactId = artifactId;
            }
        }
        finally
        {
            Workspace.Delete(directory);
        }

        LogJob("build", request.JobId, result.Status.ToString(), result.ExitCode, result.WallSeconds, CpuList.Format(reservation.Cores));
        await responseStream.WriteAsync(new JobUpdate { Result = result });
    }

    public override async Task Run(RunJob request, IServerStreamWriter<JobUpdate> responseStream, ServerCallContext context)
    {
        var queued = DateTimeOffset.UtcNow;
        if (RunRefusal(request) is { } refusal)
        {
            await responseStream.WriteAsync(Result(JobResult.Types.Status.AgentError, refusal));
            return;
        }

        var wanted = request.Exclusive ? CoresWanted(request) : 1;
        // Through Slurm the program runs on the cluster's cores; here it takes one for srun or sbatch, which only wait.
        var held = slurm.Enabled ? 1 : request.Exclusive && options.Value.TimingRunsOwnTheNode ? cores.Cores : wanted;
        await responseStream.WriteAsync(Queued(held, request.Exclusive, queued));
        using var reservation = await cores.ReserveAsync(held, context.CancellationToken);
        using var gpu = request.Launcher == Launchers.Cuda ? await gpus.ReserveAsync(context.CancellationToken) : null;
        // The program runs on the first cores it asked for; any others held stay idle, so nothing shares the node.
        var pinned = Pinned(reservation, wanted);
        var started = DateTimeOffset.UtcNow;
        await responseStream.WriteAsync(Started(pinned, started));
        var result = await ExecuteAsync(request, pinned, gpu, responseStream, context);
        result.QueuedUnixMs = queued.ToUnixTimeMilliseconds();
        result.StartedUnixMs = started.ToUnixTimeMilliseconds();
        LogJob("run", request.JobId, result.Status.ToString(), result.ExitCode, result.WallSeconds, CpuList.Format(pinned));
        await responseStream.WriteAsync(new JobUpdate { Result = result });
    }

    public override async Task Measure(MeasureJob request, IServerStreamWriter<JobUpdate> responseStream, ServerCallContext context)
    {
        var queued = DateTimeOffset.UtcNow;
        var refusal = request.Arms.Count < 2 ? "a measurement needs a baseline and at least one candidate" : request.Arms.Select(RunRefusal).FirstOrDefault(r => r is not null);
        if (refusal is not null)
        {
            await responseStream.WriteAsync(Result(JobResult.Types.Status.AgentError, refusal));
            return;
        }

        // The whole measurement owns its cores (the node, by default): no build or run of this agent runs between pairs.
        var wanted = request.Arms.Max(CoresWanted);
        var held = slurm.Enabled ? 1 : options.Value.TimingRunsOwnTheNode ? cores.Cores : wanted;
        await responseStream.WriteAsync(Queued(held, exclusive: true, queued));
        using var reservation = await cores.ReserveAsync(held, context.CancellationToken);
        using var gpu = request.Arms.Any(a => a.Launcher == Launchers.Cuda) ? await gpus.ReserveAsync(context.CancellationToken) : null;
        var started = DateTimeOffset.UtcNow;
        var all = Pinned(reservation, wanted);
        await responseStream.WriteAsync(Started(all, started));
        using var measuring = AgentInstrumentation.StartSandbox("measure", request.JobId, all.Count);
        var result = await PairedMeasurement.RunAsync(
            request,
            // Every arm runs on the first cores it needs: the sequential baseline on the candidate's first core.
            (arm, token) => ExecuteAsync(arm, [.. all.Take(Math.Max(1, Math.Min(CoresWanted(arm), all.Count)))], arm.Launcher == Launchers.Cuda ? gpu : null, null, context),
            context.CancellationToken);
        result.QueuedUnixMs = queued.ToUnixTimeMilliseconds();
        result.StartedUnixMs = started.ToUnixTimeMilliseconds();
        result.FinishedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        result.Cores.Clear();
        result.Cores.AddRange(all);
        measuring.Finished(result);
        LogMeasured(request.JobId, result.Measurement.Pairs, result.Measurement.Stopped, CpuList.Format(all));
        await responseStream.WriteAsync(new JobUpdate { Result = result });
    }

    private string? RunRefusal(RunJob request)
    {
        var mpi = request.Launcher == Launchers.MpiRun ? MpiToolchain.ForLauncher(workspace.ArtifactLauncher(request.ArtifactId)) : null;
        return Refusal(null)
            ?? (workspace.FindArtifact(request.ArtifactId) is null ? $"artifact {request.ArtifactId} is not in this agent's cache" : null)
            ?? (request.Launcher == Launchers.MpiRun && mpi is null ? "this agent has no MPI launcher (mpirun)" : null)
            ?? (slurm.Enabled ? SlurmLauncher.Refusal(mpi) : null)
            ?? (request.Launcher == Launchers.Cuda && gpus.Devices.Count == 0 ? "this agent has no GPU (nvidia-smi lists none)" : null);
    }

    private static int CoresWanted(RunJob request) =>
        Math.Max(1, request.Threads) * (request.Launcher == Launchers.MpiRun ? Math.Max(1, request.Ranks) : 1);

    private IReadOnlyList<int> Pinned(CoreLedger.CoreReservation reservation, int wanted) =>
        slurm.Enabled ? [] : [.. reservation.Cores.Take(Math.Max(1, Math.Min(wanted, reservation.Cores.Count)))];

    /// <summary>Runs a cached artifact on cores already held; the result's queue and start times are the caller's to set.</summary>
    private async Task<JobResult> ExecuteAsync(
        RunJob request, IReadOnlyList<int> pinned, GpuLedger.GpuReservation? gpu, IServerStreamWriter<JobUpdate>? responseStream, ServerCallContext context)
    {
        var artifact = workspace.FindArtifact(request.ArtifactId)!;
        var mpi = request.Launcher == Launchers.MpiRun ? MpiToolchain.ForLauncher(workspace.ArtifactLauncher(request.ArtifactId)) : null;
        var threads = Math.Max(1, request.Threads);
        var ranks = mpi is null ? 1 : Math.Max(1, request.Ranks);
        var monitor = gpu is null ? null : new GpuMonitor(gpu.Device);
        using var sandboxed = AgentInstrumentation.StartSandbox("run", request.JobId, pinned.Count);
        var started = DateTimeOffset.UtcNow;
        var directory = workspace.NewJobDirectory();
        JobResult result;
        try
        {
            File.Copy(artifact, Path.Combine(directory, Workspace.ProgramName));
            Workspace.WriteFiles(directory, request.InputFiles);
            var environment = new Dictionary<string, string> { ["OMP_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture) };
            if (mpi is null)
            {
                // Threads spread over the job's cores, one place per core; under mpirun every rank would pile onto the first ones.
                environment["OMP_PROC_BIND"] = "close";
                environment["OMP_PLACES"] = "cores";
            }

            foreach (var (name, value) in request.Environment.Where(v => IsSafeVariable(v.Key)))
            {
                environment[name] = value;
            }

            if (gpu is not null)
            {
                // After the job's own variables: a program sees exactly the GPU it was given.
                environment["CUDA_VISIBLE_DEVICES"] = gpu.VisibleDevices;
            }

            // Under Slurm srun starts the ranks, each in a sandbox of its own; locally mpirun starts them inside one.
            List<string> command = mpi is null || slurm.Enabled
                ? [.. request.Wrapper, "./" + Workspace.ProgramName, .. request.Args]
                : [.. mpi.LaunchCommand(ranks), .. request.Wrapper, "./" + Workspace.ProgramName, .. request.Args];
            var placement = slurm.Enabled ? new SlurmPlacement(ranks, threads, mpi, request.Exclusive) : null;
            var outcome = await RunSandboxedAsync(directory, command, environment, request.Stdin.ToByteArray(), request.TimeoutMs, pinned, threads, responseStream, context, placement, monitor);
            result = ToResult(outcome, request.TimeoutMs, pinned, started, started);
            if (gpu is not null)
            {
                result.Gpu = gpu.Device;
                result.PeakGpuMemoryBytes = monitor!.PeakMemoryBytes;
            }

            sandboxed.Finished(result);
            foreach (var name in request.OutputFiles)
            {
                if (Workspace.RegularFile(directory, name) is { } path)
                {
                    var bytes = await File.ReadAllBytesAsync(path, context.CancellationToken);
                    result.OutputFiles.Add(new SourceFile { Path = name, Content = ByteString.CopyFrom(bytes, 0, Math.Min(bytes.Length, options.Value.MaxOutputBytes)) });
                }
            }
        }
        finally
        {
            Workspace.Delete(directory);
        }

        return result;
    }

    /// <summary>Job variables tune the program (sanitizer options); none may change what runs or where it looks.</summary>
    private static bool IsSafeVariable(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_')
        && !name.StartsWith("LD_", StringComparison.Ordinal) && name is not ("PATH" or "HOME" or "TMPDIR" or "BASH_ENV" or "ENV");

    private async Task<SandboxOutcome> RunSandboxedAsync(
        string directory,
        List<string> command,
        Dictionary<string, string> environment,
        byte[] stdin,
        int timeoutMs,
        IReadOnlyList<int> jobCores,
        int threads,
        IServerStreamWriter<JobUpdate>? responseStream,
        ServerCallContext context,
        SlurmPlacement? placement = null,
        GpuMonitor? gpu = null)
    {
        if (sandbox.JobUid is { } uid)
        {
            Workspace.HandOver(directory, uid);
        }

        var job = new SandboxCommand(directory, command, environment, stdin, TimeSpan.FromMilliseconds(Math.Max(100, timeoutMs)), jobCores, threads, placement);
        // A timed run streams nothing: the agent stays quiet while the program is measured.
        return await sandbox.RunAsync(job, responseStream is null ? null : new StreamingObserver(responseStream, gpu), context.CancellationToken);
    }

    private string? Refusal(string? compiler)
    {
        if (!Sandbox.IsAvailable)
        {
            return "bubblewrap (bwrap) is not installed: this agent runs no untrusted code without its sandbox";
        }

        if (compiler is null)
        {
            return null;
        }

        if (!s_compilers.Contains(compiler) && MpiToolchain.ForCompiler(compiler) is null)
        {
            return $"compiler '{compiler}' is not one this agent runs";
        }

        // A missing compiler is the agent's shortcoming, not the program's; a site prelude may still bring one in.
        return string.IsNullOrWhiteSpace(options.Value.Prelude) && !Sandbox.IsInstalled(compiler)
            ? $"compiler '{compiler}' is not installed on this agent"
            : null;
    }

    private static JobUpdate Queued(int coresRequested, bool exclusive, DateTimeOffset queued) =>
        new() { Queued = new JobQueued { CoresRequested = coresRequested, Exclusive = exclusive, QueuedUnixMs = queued.ToUnixTimeMilliseconds() } };

    private JobUpdate Started(IReadOnlyList<int> jobCores, DateTimeOffset started)
    {
        var update = new JobStarted { AgentId = identity.AgentId, StartedUnixMs = started.ToUnixTimeMilliseconds() };
        update.Cores.AddRange(jobCores);
        return new JobUpdate { Started = update };
    }

    private static JobUpdate Result(JobResult.Types.Status status, string message) => new() { Result = new JobResult { Status = status, Message = message } };

    private static JobResult ToResult(SandboxOutcome outcome, int timeoutMs, IReadOnlyList<int> jobCores, DateTimeOffset queued, DateTimeOffset started)
    {
        var result = new JobResult
        {
            Status = outcome.Fault is not null ? JobResult.Types.Status.AgentError
                : outcome.TimedOut ? JobResult.Types.Status.TimedOut
                : outcome.Limit is not null ? JobResult.Types.Status.KilledByLimit
                : JobResult.Types.Status.Exited,
            ExitCode = outcome.ExitCode,
            Signal = outcome.Signal,
            Stdout = ByteString.CopyFrom(outcome.Stdout),
            Stderr = ByteString.CopyFrom(outcome.Stderr),
            StdoutTruncated = outcome.StdoutTruncated,
            StderrTruncated = outcome.StderrTruncated,
            WallSeconds = outcome.Wall.TotalSeconds,
            Message = outcome.Fault is { } fault ? fault
                : outcome.TimedOut ? $"timed out after {timeoutMs / 1000.0:0.###} s: the whole process tree was killed"
                : outcome.Limit is { } limit ? $"killed: {limit.Description}"
                : "",
            Limit = outcome.Limit?.Name ?? "",
            QueuedUnixMs = queued.ToUnixTimeMilliseconds(),
            StartedUnixMs = started.ToUnixTimeMilliseconds(),
            FinishedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            PeakRssBytes = outcome.PeakPrivateBytes,
            PeakProcesses = outcome.PeakProcesses,
            CpuSeconds = outcome.CpuSeconds,
        };
        result.Cores.AddRange(jobCores);
        return result;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} {JobId}: {Status} exit {ExitCode} in {Seconds:F3} s on cores {Cores}")]
    private partial void LogJob(string kind, string jobId, string status, int exitCode, double seconds, string cores);

    [LoggerMessage(Level = LogLevel.Information, Message = "measure {JobId}: {Pairs} pairs, stopped on {Stopped}, on cores {Cores}")]
    private partial void LogMeasured(string jobId, int pairs, string stopped, string cores);

    /// <summary>Sends a running job's output and resource samples down its gRPC stream.</summary>
    private sealed class StreamingObserver(IServerStreamWriter<JobUpdate> stream, GpuMonitor? gpu) : ISandboxObserver
    {
        public async ValueTask OutputAsync(bool isStderr, ReadOnlyMemory<byte> data) =>
            await stream.WriteAsync(new JobUpdate
            {
                Output = new OutputChunk { Stream = isStderr ? OutputChunk.Types.Stream.Stderr : OutputChunk.Types.Stream.Stdout, Data = ByteString.CopyFrom(data.Span) },
            });

        public async ValueTask UsageAsync(ResourceUsage usage)
        {
            var sample = new ResourceSample
            {
                ElapsedMs = (long)usage.Elapsed.TotalMilliseconds,
                CpuPercent = usage.CpuPercent,
                RssBytes = usage.PrivateBytes,
                Processes = usage.Processes,
                DiskBytes = usage.DiskBytes,
            };
            if (gpu?.Sample() is { } device)
            {
                sample.Gpus.Add(device);
            }

            await stream.WriteAsync(new JobUpdate { Sample = sample });
        }
    }
}
