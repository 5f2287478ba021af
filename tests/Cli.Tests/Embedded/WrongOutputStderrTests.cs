using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Results;

namespace Kernelsmith.Cli.Tests.Embedded;

/// <summary>A program that exits 0 with the wrong output: what it said on standard error is kept in its run log, capped.</summary>
public sealed class WrongOutputStderrTests
{
    [Fact]
    public async Task Run_WrongOutputWithStderr_KeepsItsStderrCappedInTheRunLog()
    {
        var (record, attempts) = await ReplaySweep.RunAsync("0.c", path => File.WriteAllTextAsync(path, """
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
            """));

        Assert.Equal(Verdict.WrongOutput, record.Verdict);
        var log = await File.ReadAllTextAsync(Path.Combine(attempts, "round-0", "run.log"));
        Assert.Contains("debug: thread 0 found an empty partition", log, StringComparison.Ordinal);
        Assert.Contains("[clipped]", log, StringComparison.Ordinal);
        Assert.InRange(log.Length, 1_000, 10_000);
    }
}
