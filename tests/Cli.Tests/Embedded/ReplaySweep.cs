using Kernelsmith.Cli.Commands;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Results;

namespace Kernelsmith.Cli.Tests.Embedded;

/// <summary>
/// One gemm/openmp experiment on the tiny input, answered by one replayed answer file, run as <c>kernelsmith run</c>
/// runs it: the sweep a test of one answer's fate needs.
/// </summary>
internal static class ReplaySweep
{
    /// <summary>
    /// Writes the answer as <c>answers/gemm/openmp/<paramref name="answerFile"/></c> with <paramref name="write"/>, runs the
    /// sweep, and returns its single record and the folder that record's attempts are in.
    /// </summary>
    public static async Task<(ExperimentRecord Record, string Attempts)> RunAsync(string answerFile, Func<string, Task> write)
    {
        var work = Directory.CreateTempSubdirectory("kernelsmith-replay-").FullName;
        var answers = Directory.CreateDirectory(Path.Combine(work, "answers", "gemm", "openmp")).FullName;
        await write(Path.Combine(answers, answerFile));
        var spec = Path.Combine(work, "sweep.yaml");
        await File.WriteAllTextAsync(spec, """
            name: replay
            kernels: [gemm]
            technologies: [openmp]
            models:
              - { id: chat, provider: replay, directory: answers }
            run: { input: tiny, threads: [1], repetitions: 1, max_pairs: 1, warmups: 0, expert: false }
            verify: { amplify: false, sanitizers: [] }
            """);
        var output = Path.Combine(work, "out");

        await RunCommand.RunAsync(new FileInfo(spec), new DirectoryInfo(output), [Repository.Kernels], CancellationToken.None);

        var record = Assert.Single(new ResultsDirectory(output).ReadRecords());
        return (record, Path.Combine(output, ResultsDirectory.AttemptsFolder(record)));
    }
}
