using Google.Protobuf;
using Kernelsmith.Agents.Node.Capabilities;
using Kernelsmith.Agents.Node.Execution;
using Kernelsmith.Agents.Node.Hosting;
using Kernelsmith.Agents.Node.Measurement;
using Kernelsmith.Agents.Node.Telemetry;
using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Protos;
using Microsoft.Extensions.Options;

namespace Kernelsmith.Agents.Node.Jobs;

/// <summary>
/// The agent's job policy: what it refuses, the artifact cache, the cores and GPU a job holds, the environment a
/// program sees and the command that starts it (through the <see cref="ILauncher"/> chosen at start-up). Every job
/// ends in a result, reported as it goes to an <see cref="IJobProgress"/>; nothing here knows of gRPC.
/// </summary>
public sealed partial class JobRunner(
    Sandbox sandbox,
    ILauncher launcher,
    Workspace workspace,
    CoreLedger cores,
    GpuLedger gpus,
    AgentIdentity identity,
    IOptions<AgentOptions> options,
    ILogger<JobRunner> logger)
{
    public async Task<JobResult> BuildAsync(BuildJob job, IJobProgress progress, CancellationToken cancellationToken)
    {
        var queued = DateTimeOffset.UtcNow;
        var compiler = launcher.Compiler(job.Compiler);
        if (Refusal(compiler) is { } refusal)
        {
            return JobResults.Refused(refusal);
        }

        var artifactId = Workspace.ArtifactId(job);
        var toolchain = identity.ToolVersion(compiler);
        if (workspace.FindArtifact(artifactId) is not null)
        {
            return JobResults.Cached(artifactId, toolchain, queued);
        }

        await progress.QueuedAsync(1, exclusive: false, queued);
        using var reservation = await cores.ReserveAsync(1, cancellationToken);
        using var sandboxed = AgentInstrumentation.StartSandbox("build", job.JobId, reservation.Cores.Count);
        var started = DateTimeOffset.UtcNow;
        await progress.StartedAsync(reservation.Cores, started);
        var directory = workspace.NewJobDirectory();
        JobResult result;
        try
        {
            Workspace.WriteFiles(directory, job.Files);
            var command = JobPolicy.BuildCommand(compiler, job, Workspace.ProgramName);
            var outcome = await RunSandboxedAsync(directory, command, new Dictionary<string, string>(), [], job.TimeoutMs, reservation.Cores, 1, Observer(progress, null), null, cancellationToken);
            result = JobResults.From(outcome, job.TimeoutMs, reservation.Cores, queued, started);
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

        LogJob("build", job.JobId, result.Status.ToString(), result.ExitCode, result.WallSeconds, CpuList.Format(reservation.Cores));
        return result;
    }

    public async Task<JobResult> RunAsync(RunJob job, IJobProgress progress, CancellationToken cancellationToken)
    {
        var queued = DateTimeOffset.UtcNow;
        if (RunRefusal(job) is { } refusal)
        {
            return JobResults.Refused(refusal);
        }

        var wanted = job.Exclusive ? JobPolicy.CoresWanted(job) : 1;
        var held = launcher.CoresHeld(wanted, job.Exclusive, cores.Cores);
        await progress.QueuedAsync(held, job.Exclusive, queued);
        using var reservation = await cores.ReserveAsync(held, cancellationToken);
        using var gpu = job.Launcher == Launchers.Cuda ? await gpus.ReserveAsync(cancellationToken) : null;
        var pinned = launcher.Pinned(reservation.Cores, wanted);
        var started = DateTimeOffset.UtcNow;
        await progress.StartedAsync(pinned, started);
        var result = await ExecuteAsync(job, pinned, gpu, progress, cancellationToken);
        result.QueuedUnixMs = queued.ToUnixTimeMilliseconds();
        result.StartedUnixMs = started.ToUnixTimeMilliseconds();
        LogJob("run", job.JobId, result.Status.ToString(), result.ExitCode, result.WallSeconds, CpuList.Format(pinned));
        return result;
    }

    public async Task<JobResult> MeasureAsync(MeasureJob job, IJobProgress progress, CancellationToken cancellationToken)
    {
        var queued = DateTimeOffset.UtcNow;
        var refusal = job.Arms.Count < 2 ? "a measurement needs a baseline and at least one candidate" : job.Arms.Select(RunRefusal).FirstOrDefault(r => r is not null);
        if (refusal is not null)
        {
            return JobResults.Refused(refusal);
        }

        // The whole measurement owns its cores (the node, by default): no build or run of this agent runs between pairs.
        var wanted = job.Arms.Max(JobPolicy.CoresWanted);
        var held = launcher.CoresHeld(wanted, exclusive: true, cores.Cores);
        await progress.QueuedAsync(held, exclusive: true, queued);
        using var reservation = await cores.ReserveAsync(held, cancellationToken);
        using var gpu = job.Arms.Any(a => a.Launcher == Launchers.Cuda) ? await gpus.ReserveAsync(cancellationToken) : null;
        var started = DateTimeOffset.UtcNow;
        var all = launcher.Pinned(reservation.Cores, wanted);
        await progress.StartedAsync(all, started);
        using var measuring = AgentInstrumentation.StartSandbox("measure", job.JobId, all.Count);
        var result = await PairedMeasurement.RunAsync(
            job,
            // Every arm runs on the first cores it needs: the sequential baseline on the candidate's first core. A timed
            // run streams nothing: the agent stays quiet while the program is measured.
            (arm, token) => ExecuteAsync(arm, [.. all.Take(Math.Max(1, Math.Min(JobPolicy.CoresWanted(arm), all.Count)))], arm.Launcher == Launchers.Cuda ? gpu : null, null, cancellationToken),
            cancellationToken);
        result.QueuedUnixMs = queued.ToUnixTimeMilliseconds();
        result.StartedUnixMs = started.ToUnixTimeMilliseconds();
        result.FinishedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        result.Cores.Clear();
        result.Cores.AddRange(all);
        measuring.Finished(result);
        LogMeasured(job.JobId, result.Measurement.Pairs, result.Measurement.Stopped, CpuList.Format(all));
        return result;
    }

    private string? RunRefusal(RunJob job)
    {
        var mpi = job.Launcher == Launchers.MpiRun ? MpiToolchain.ForLauncher(workspace.ArtifactLauncher(job.ArtifactId)) : null;
        return Refusal(null)
            ?? (workspace.FindArtifact(job.ArtifactId) is null ? $"artifact {job.ArtifactId} is not in this agent's cache" : null)
            ?? (job.Launcher == Launchers.MpiRun && mpi is null ? "this agent has no MPI launcher (mpirun)" : null)
            ?? launcher.Refusal(mpi)
            ?? (job.Launcher == Launchers.Cuda && gpus.Devices.Count == 0 ? "this agent has no GPU (nvidia-smi lists none)" : null);
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

        if (!JobPolicy.IsKnownCompiler(compiler))
        {
            return $"compiler '{compiler}' is not one this agent runs";
        }

        // A missing compiler is the agent's shortcoming, not the program's; a site prelude may still bring one in.
        return string.IsNullOrWhiteSpace(options.Value.Prelude) && !Sandbox.IsInstalled(compiler)
            ? $"compiler '{compiler}' is not installed on this agent"
            : null;
    }

    /// <summary>Runs a cached artifact on cores already held; the result's queue and start times are the caller's to set.</summary>
    private async Task<JobResult> ExecuteAsync(
        RunJob job, IReadOnlyList<int> pinned, GpuLedger.GpuReservation? gpu, IJobProgress? progress, CancellationToken cancellationToken)
    {
        var artifact = workspace.FindArtifact(job.ArtifactId)!;
        var mpi = job.Launcher == Launchers.MpiRun ? MpiToolchain.ForLauncher(workspace.ArtifactLauncher(job.ArtifactId)) : null;
        var threads = Math.Max(1, job.Threads);
        var ranks = mpi is null ? 1 : Math.Max(1, job.Ranks);
        var monitor = gpu is null ? null : new GpuMonitor(gpu.Device);
        using var sandboxed = AgentInstrumentation.StartSandbox("run", job.JobId, pinned.Count);
        var started = DateTimeOffset.UtcNow;
        var directory = workspace.NewJobDirectory();
        JobResult result;
        try
        {
            File.Copy(artifact, Path.Combine(directory, Workspace.ProgramName));
            Workspace.WriteFiles(directory, job.InputFiles);
            var environment = JobPolicy.RunEnvironment(job, threads, mpi is not null, gpu?.VisibleDevices);
            var plan = launcher.Plan(mpi, ranks, threads, job.Exclusive, [.. job.Wrapper, "./" + Workspace.ProgramName, .. job.Args]);
            var outcome = await RunSandboxedAsync(
                directory, plan.Command, environment, job.Stdin.ToByteArray(), job.TimeoutMs, pinned, threads, Observer(progress, monitor), plan.Launch, cancellationToken);
            result = JobResults.From(outcome, job.TimeoutMs, pinned, started, started);
            if (gpu is not null)
            {
                result.Gpu = gpu.Device;
                result.PeakGpuMemoryBytes = monitor!.PeakMemoryBytes;
            }

            sandboxed.Finished(result);
            foreach (var name in job.OutputFiles)
            {
                if (Workspace.RegularFile(directory, name) is { } path)
                {
                    var bytes = await File.ReadAllBytesAsync(path, cancellationToken);
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

    private async Task<SandboxOutcome> RunSandboxedAsync(
        string directory,
        List<string> command,
        Dictionary<string, string> environment,
        byte[] stdin,
        int timeoutMs,
        IReadOnlyList<int> jobCores,
        int threads,
        ISandboxObserver? observer,
        ITaskLaunch? launch,
        CancellationToken cancellationToken)
    {
        if (sandbox.JobUid is { } uid)
        {
            Workspace.HandOver(directory, uid);
        }

        var job = new SandboxCommand(directory, command, environment, stdin, TimeSpan.FromMilliseconds(Math.Max(100, timeoutMs)), jobCores, threads, launch);
        return await sandbox.RunAsync(job, observer, cancellationToken);
    }

    private static ProgressObserver? Observer(IJobProgress? progress, GpuMonitor? gpu) => progress is null ? null : new ProgressObserver(progress, gpu);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} {JobId}: {Status} exit {ExitCode} in {Seconds:F3} s on cores {Cores}")]
    private partial void LogJob(string kind, string jobId, string status, int exitCode, double seconds, string cores);

    [LoggerMessage(Level = LogLevel.Information, Message = "measure {JobId}: {Pairs} pairs, stopped on {Stopped}, on cores {Cores}")]
    private partial void LogMeasured(string jobId, int pairs, string stopped, string cores);

    /// <summary>A running program's output and resource samples (with its GPU's), passed on as progress.</summary>
    private sealed class ProgressObserver(IJobProgress progress, GpuMonitor? gpu) : ISandboxObserver
    {
        public ValueTask OutputAsync(bool isStderr, ReadOnlyMemory<byte> data) => progress.OutputAsync(isStderr, data);

        public ValueTask UsageAsync(ResourceUsage usage) => progress.UsageAsync(usage, gpu?.Sample());
    }
}
