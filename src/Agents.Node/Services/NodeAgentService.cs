using Google.Protobuf;
using Grpc.Core;
using Kernelsmith.Agents.Node.Execution;
using Kernelsmith.Agents.Node.Hosting;
using Kernelsmith.Agents.Node.Telemetry;
using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Protos;
using Microsoft.Extensions.Options;

namespace Kernelsmith.Agents.Node.Services;

/// <summary>The agent's gRPC face: build and run jobs, each streamed back as started, output, result.</summary>
public sealed partial class NodeAgentService(
    Sandbox sandbox,
    Workspace workspace,
    CoreLedger cores,
    AgentIdentity identity,
    IOptions<AgentOptions> options,
    ILogger<NodeAgentService> logger) : NodeAgent.NodeAgentBase
{
    private static readonly HashSet<string> s_compilers =
        ["gcc", "g++", "cc", "c++", "clang", "clang++", "mpicc", "mpicxx", "mpicc.mpich", "mpicxx.mpich", "nvcc"];

    private static readonly HashSet<string> s_compiledExtensions = [".c", ".cc", ".cpp", ".cxx", ".cu"];

    public override async Task Build(BuildJob request, IServerStreamWriter<JobUpdate> responseStream, ServerCallContext context)
    {
        if (Refusal(request.Compiler) is { } refusal)
        {
            await responseStream.WriteAsync(Result(JobResult.Types.Status.AgentError, refusal));
            return;
        }

        var artifactId = Workspace.ArtifactId(request);
        var toolchain = identity.ToolVersion(request.Compiler);
        if (workspace.FindArtifact(artifactId) is not null)
        {
            await responseStream.WriteAsync(new JobUpdate { Result = new JobResult { ArtifactId = artifactId, Toolchain = toolchain, Message = "cached" } });
            return;
        }

        await using var reservation = await cores.ReserveAsync(1, context.CancellationToken);
        using var sandboxed = AgentInstrumentation.StartSandbox("build", request.JobId, 1);
        await responseStream.WriteAsync(Started());
        var directory = workspace.NewJobDirectory();
        try
        {
            Workspace.WriteFiles(directory, request.Files);
            var sources = request.Files.Select(f => f.Path).Where(p => s_compiledExtensions.Contains(Path.GetExtension(p)));
            List<string> command = [request.Compiler, .. request.Flags, .. sources, "-o", Workspace.ProgramName, .. request.Libraries];
            var outcome = await sandbox.RunAsync(Command(directory, command, new Dictionary<string, string>(), [], request.TimeoutMs), context.CancellationToken);
            var result = ToResult(outcome);
            result.Toolchain = toolchain;
            sandboxed.Finished(result);
            var program = Path.Combine(directory, Workspace.ProgramName);
            if (!outcome.TimedOut && outcome.ExitCode == 0 && File.Exists(program))
            {
                workspace.StoreArtifact(artifactId, program);
                result.ArtifactId = artifactId;
            }

            LogJob("build", request.JobId, result.Status.ToString(), result.ExitCode, outcome.Wall.TotalSeconds);
            await responseStream.WriteAsync(new JobUpdate { Result = result });
        }
        finally
        {
            Workspace.Delete(directory);
        }
    }

    public override async Task Run(RunJob request, IServerStreamWriter<JobUpdate> responseStream, ServerCallContext context)
    {
        var artifact = workspace.FindArtifact(request.ArtifactId);
        var refusal = Refusal(null) ?? (artifact is null ? $"artifact {request.ArtifactId} is not in this agent's cache" : null);
        if (refusal is not null)
        {
            await responseStream.WriteAsync(Result(JobResult.Types.Status.AgentError, refusal));
            return;
        }

        var threads = Math.Max(1, request.Threads);
        var ranks = Math.Max(1, request.Ranks);
        var reserved = request.Exclusive ? threads * ranks : 1;
        await using var reservation = await cores.ReserveAsync(reserved, context.CancellationToken);
        using var sandboxed = AgentInstrumentation.StartSandbox("run", request.JobId, reserved);
        await responseStream.WriteAsync(Started());
        var directory = workspace.NewJobDirectory();
        try
        {
            File.Copy(artifact!, Path.Combine(directory, Workspace.ProgramName));
            Workspace.WriteFiles(directory, request.InputFiles);
            var environment = new Dictionary<string, string>
            {
                ["OMP_NUM_THREADS"] = threads.ToString(System.Globalization.CultureInfo.InvariantCulture),
            };
            List<string> command = request.Launcher == Launchers.MpiRun
                ? ["mpirun", "--allow-run-as-root", "--oversubscribe", "-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), "./" + Workspace.ProgramName, .. request.Args]
                : ["./" + Workspace.ProgramName, .. request.Args];
            var outcome = await sandbox.RunAsync(Command(directory, command, environment, request.Stdin.ToByteArray(), request.TimeoutMs), context.CancellationToken);
            var result = ToResult(outcome);
            sandboxed.Finished(result);
            foreach (var name in request.OutputFiles)
            {
                var path = Path.GetFullPath(Path.Combine(directory, name));
                if (path.StartsWith(directory + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(path))
                {
                    var bytes = await File.ReadAllBytesAsync(path, context.CancellationToken);
                    result.OutputFiles.Add(new SourceFile { Path = name, Content = ByteString.CopyFrom(bytes, 0, Math.Min(bytes.Length, options.Value.MaxOutputBytes)) });
                }
            }

            LogJob("run", request.JobId, result.Status.ToString(), result.ExitCode, outcome.Wall.TotalSeconds);
            await responseStream.WriteAsync(new JobUpdate { Result = result });
        }
        finally
        {
            Workspace.Delete(directory);
        }
    }

    private string? Refusal(string? compiler)
    {
        if (!Sandbox.IsAvailable)
        {
            return "bubblewrap (bwrap) is not installed: this agent runs no untrusted code without its sandbox";
        }

        return compiler is not null && !s_compilers.Contains(compiler) ? $"compiler '{compiler}' is not one this agent runs" : null;
    }

    private SandboxCommand Command(string directory, List<string> command, Dictionary<string, string> environment, byte[] stdin, int timeoutMs) =>
        new(directory, command, environment, stdin, TimeSpan.FromMilliseconds(Math.Max(100, timeoutMs)), options.Value.MaxOutputBytes);

    private JobUpdate Started() => new() { Started = new JobStarted { AgentId = identity.AgentId, StartedUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() } };

    private static JobUpdate Result(JobResult.Types.Status status, string message) => new() { Result = new JobResult { Status = status, Message = message } };

    private static JobResult ToResult(SandboxOutcome outcome) => new()
    {
        Status = outcome.TimedOut ? JobResult.Types.Status.TimedOut : JobResult.Types.Status.Exited,
        ExitCode = outcome.ExitCode,
        Signal = outcome.Signal,
        Stdout = ByteString.CopyFrom(outcome.Stdout),
        Stderr = ByteString.CopyFrom(outcome.Stderr),
        StdoutTruncated = outcome.StdoutTruncated,
        StderrTruncated = outcome.StderrTruncated,
        WallSeconds = outcome.Wall.TotalSeconds,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} {JobId}: {Status} exit {ExitCode} in {Seconds:F3} s")]
    private partial void LogJob(string kind, string jobId, string status, int exitCode, double seconds);
}
