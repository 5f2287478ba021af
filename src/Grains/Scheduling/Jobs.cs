using Google.Protobuf;
using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Protos;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Grains.Scheduling;

/// <summary>Builds the agent's job messages from domain values: the one place proto meets domain on the silo side.</summary>
public static class Jobs
{
    public static BuildJob Build(string jobId, IEnumerable<CodeFile> files, BuildRecipe recipe, double timeoutSeconds)
    {
        var job = new BuildJob
        {
            JobId = jobId,
            Compiler = recipe.Compiler,
            TimeoutMs = ToMilliseconds(timeoutSeconds),
        };
        job.Files.AddRange(files.Select(ToProto));
        job.Flags.AddRange(recipe.Flags);
        job.Libraries.AddRange(recipe.Libraries);
        return job;
    }

    public static RunJob Run(string jobId, string artifactId, KernelInput input, int threads, int ranks, double timeoutSeconds, bool exclusive, string technology)
    {
        var job = new RunJob
        {
            Launcher = technology switch { Technologies.Mpi => Launchers.MpiRun, Technologies.Cuda => Launchers.Cuda, _ => Launchers.Plain },
            JobId = jobId,
            ArtifactId = artifactId,
            Threads = threads,
            Ranks = ranks,
            TimeoutMs = ToMilliseconds(timeoutSeconds),
            Exclusive = exclusive,
            Stdin = ByteString.CopyFromUtf8(input.Stdin ?? ""),
        };
        job.Args.AddRange(input.Args);
        job.InputFiles.AddRange(input.Files.Select(ToProto));
        job.OutputFiles.AddRange(input.OutputFiles);
        return job;
    }

    /// <summary>What a program produced, as one text to compare: stdout, then each named output file.</summary>
    public static string ProducedOutput(JobResult result) =>
        result.Stdout.ToStringUtf8() + string.Concat(result.OutputFiles.Select(f => $"\n=== {f.Path} ===\n{f.Content.ToStringUtf8()}"));

    public static string Log(JobResult result)
    {
        var stderr = result.Stderr.ToStringUtf8();
        var stdout = result.Stdout.ToStringUtf8();
        return (stderr.Length > 0 ? stderr : stdout) + (result.StderrTruncated || result.StdoutTruncated ? "\n[output truncated by the agent]" : "");
    }

    /// <summary>True when the program exited by itself with status 0.</summary>
    public static bool Succeeded(JobResult result) => result.Status == JobResult.Types.Status.Exited && result.ExitCode == 0 && result.Signal == 0;

    /// <summary>The first line of a log that mentions an error (else its first line): a build failure's reason.</summary>
    public static string FirstErrorLine(string log) =>
        Text.Clip(log.Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)) ?? log.Split('\n')[0], 300, Text.LogMarker);

    public static double Median(IReadOnlyList<double> values) => Statistics.Median(values);

    private static SourceFile ToProto(CodeFile file) => new() { Path = file.Path, Content = ByteString.CopyFromUtf8(file.Content) };

    private static int ToMilliseconds(double seconds) => (int)Math.Min(int.MaxValue, seconds * 1000);
}
