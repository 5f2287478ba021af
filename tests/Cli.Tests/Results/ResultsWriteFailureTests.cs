namespace Kernelsmith.Cli.Tests.Results;

/// <summary>A results file that cannot be written (a full disk) stops the run with an error naming it, never silently.</summary>
public sealed class ResultsWriteFailureTests
{
    [Fact]
    public async Task Run_ResultsOnAFullDisk_FailsNamingTheFile()
    {
        var work = Directory.CreateTempSubdirectory("kernelsmith-full-").FullName;
        var spec = Path.Combine(work, "full.yaml");
        await File.WriteAllTextAsync(spec, """
            name: full-disk
            kernels: [gemm]
            technologies: [openmp]
            models:
              - { id: expert, provider: sim, behaviour: expert }
            samples: 2
            run: { input: tiny, threads: [1], repetitions: 1, timeout: 30 }
            """);
        var output = Directory.CreateDirectory(Path.Combine(work, "out")).FullName;
        // /dev/full accepts the open and fails every write with ENOSPC, as a full disk does.
        File.CreateSymbolicLink(Path.Combine(output, "results.jsonl"), "/dev/full");

        var (exit, _, stderr) = await CommandLineTests.KernelsmithAsync("run", spec, "--out", output, "--kernels", Repository.Kernels, "--prompts", Path.Combine(Repository.Root, "prompts"));

        Assert.Equal(1, exit);
        Assert.Contains("No space left on device", stderr, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(output, "results.jsonl"), stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output, "report.md")), "a report was written although no record could be");
    }
}
