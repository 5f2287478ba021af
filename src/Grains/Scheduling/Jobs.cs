using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Grains.Scheduling;

/// <summary>The agent's jobs from the experiment's values, and what an agent's report means for the experiment.</summary>
public static class Jobs
{
    public static BuildRequest Build(string jobId, IEnumerable<CodeFile> files, BuildRecipe recipe, double timeoutSeconds) =>
        new(jobId, [.. files], recipe.Compiler, [.. recipe.Flags], [.. recipe.Libraries], ToMilliseconds(timeoutSeconds));

    public static RunRequest Run(string jobId, string artifactId, KernelInput input, int threads, int ranks, double timeoutSeconds, bool exclusive, string technology) =>
        new(
            jobId,
            artifactId,
            technology switch { Technologies.Mpi => Launchers.MpiRun, Technologies.Cuda => Launchers.Cuda, _ => Launchers.Plain },
            threads,
            ranks,
            ToMilliseconds(timeoutSeconds),
            exclusive,
            [.. input.Args],
            input.Stdin ?? "",
            [.. input.Files],
            [.. input.OutputFiles]);

    /// <summary>What a program produced, as one text to compare: stdout, then each named output file.</summary>
    public static string ProducedOutput(JobReport result) => ProducedOutput(result.Stdout, result.OutputFiles);

    /// <summary>Standard output, then each named output file under a <c>=== NAME ===</c> line.</summary>
    public static string ProducedOutput(string stdout, IEnumerable<CodeFile> outputFiles) =>
        stdout + string.Concat(outputFiles.Select(f => $"\n=== {f.Path} ===\n{f.Content}"));

    /// <summary>The named output files <see cref="ProducedOutput(string, IEnumerable{CodeFile})"/> appended to a produced output, as files again.</summary>
    public static IReadOnlyList<CodeFile> OutputFilesOf(string produced, IEnumerable<string> names)
    {
        var sections = names
            .Select(name => (Name: name, Marker: $"\n=== {name} ===\n"))
            .Select(s => (s.Name, s.Marker, At: produced.LastIndexOf(s.Marker, StringComparison.Ordinal)))
            .Where(s => s.At >= 0)
            .OrderBy(s => s.At)
            .ToList();
        return [.. sections.Select((s, i) =>
        {
            var start = s.At + s.Marker.Length;
            var end = i + 1 < sections.Count ? sections[i + 1].At : produced.Length;
            return new CodeFile(s.Name, produced[start..end]);
        })];
    }

    public static string Log(JobReport result) =>
        (result.Stderr.Length > 0 ? result.Stderr : result.Stdout) + (result.StderrTruncated || result.StdoutTruncated ? "\n[output truncated by the agent]" : "");

    /// <summary>True when the program exited by itself with status 0.</summary>
    public static bool Succeeded(JobReport result) => result.Status == JobStatus.Exited && result.ExitCode == 0 && result.Signal == 0;

    /// <summary>The first line of a log that mentions an error (else its first line): a build failure's reason.</summary>
    public static string FirstErrorLine(string log) =>
        Text.Clip(log.Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)) ?? log.Split('\n')[0], 300, Text.LogMarker);

    private static int ToMilliseconds(double seconds) => (int)Math.Min(int.MaxValue, seconds * 1000);
}
