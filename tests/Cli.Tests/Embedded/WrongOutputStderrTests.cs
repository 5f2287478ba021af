using Kernelsmith.Cli.Commands;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Results;

namespace Kernelsmith.Cli.Tests.Embedded;

/// <summary>A program that exits 0 with the wrong output: what it said on standard error is kept in its run log, capped.</summary>
public sealed class WrongOutputStderrTests
{
    [Fact]
    public async Task Run_WrongOutputWithStderr_KeepsItsStderrCappedInTheRunLog()
    {
        var work = Directory.CreateTempSubdirectory("kernelsmith-stderr-").FullName;
        var answers = Directory.CreateDirectory(Path.Combine(work, "answers", "gemm", "openmp")).FullName;
        await File.WriteAllTextAsync(Path.Combine(answers, "0.c"), """
            #include <stdio.h>
            #include <omp.h>

            int main(void)
            {
                fprintf(stderr, "debug: thread %d found an empty partition\n", omp_get_thread_num());
                for (int i = 0; i < 100000; i++)
                {
                    fputc('x', stderr);
                }
            #pragma omp parallel
                {
            #pragma omp single
                    printf("n 0\n");
                }
                return 0;
            }
            """);
        var spec = Path.Combine(work, "stderr.yaml");
        await File.WriteAllTextAsync(spec, """
            name: stderr
            kernels: [gemm]
            technologies: [openmp]
            models:
              - { id: chat, provider: replay, directory: answers }
            run: { input: tiny, threads: [1], repetitions: 1, max_pairs: 1, warmups: 0, expert: false }
            verify: { amplify: false, sanitizers: [] }
            """);
        var output = Path.Combine(work, "out");

        await RunCommand.RunAsync(new FileInfo(spec), new DirectoryInfo(output), [Repository.Kernels], CancellationToken.None);

        var results = new ResultsDirectory(output);
        var record = Assert.Single(results.ReadRecords());
        Assert.Equal(Verdict.WrongOutput, record.Verdict);
        var log = await File.ReadAllTextAsync(Path.Combine(output, ResultsDirectory.AttemptsFolder(record), "round-0", "run.log"));
        Assert.Contains("debug: thread 0 found an empty partition", log, StringComparison.Ordinal);
        Assert.Contains("[clipped]", log, StringComparison.Ordinal);
        Assert.InRange(log.Length, 1_000, 10_000);
    }
}
