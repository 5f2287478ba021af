namespace Kernelsmith.Cli.Tests.Results;

/// <summary>A results file that cannot be written (a full disk) stops the run with an error naming it, never silently.</summary>
public sealed class ResultsWriteFailureTests
{
    private readonly string _work = Directory.CreateTempSubdirectory("kernelsmith-full-").FullName;

    [Fact]
    public async Task Run_ResultsOnAFullDisk_FailsNamingTheFile()
    {
        var output = Directory.CreateDirectory(Path.Combine(_work, "out")).FullName;
        // /dev/full accepts the open and fails every write with ENOSPC, as a full disk does.
        File.CreateSymbolicLink(Path.Combine(output, "results.jsonl"), "/dev/full");

        var (exit, _, stderr) = await RunAsync(output);

        Assert.Equal(1, exit);
        Assert.Contains("No space left on device", stderr, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(output, "results.jsonl"), stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(output, "report.md")), "a report was written although no record could be");
    }

    [Fact]
    public async Task Run_OutputAlreadyHoldsResults_RefusesToOverwriteThem()
    {
        var output = Directory.CreateDirectory(Path.Combine(_work, "kept")).FullName;
        await File.WriteAllTextAsync(Path.Combine(output, "results.jsonl"), "{}\n");

        var (exit, _, stderr) = await RunAsync(output);

        Assert.Equal(2, exit);
        Assert.Contains("already holds results", stderr, StringComparison.Ordinal);
        Assert.Equal("{}\n", await File.ReadAllTextAsync(Path.Combine(output, "results.jsonl")));
    }

    private async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string output)
    {
        var spec = Path.Combine(_work, "full.yaml");
        await File.WriteAllTextAsync(spec, """
            name: full-disk
            kernels: [gemm]
            technologies: [openmp]
            models:
              - { id: expert, provider: sim, behaviour: expert }
            samples: 2
            run: { input: tiny, threads: [1], repetitions: 1, timeout: 30, max_pairs: 1, warmups: 0, expert: false }
            """);
        // Two experiments, verified with sanitizers: minutes on a loaded machine, and the time is not what is tested.
        return await CommandLineTests.KernelsmithAsync(TimeSpan.FromMinutes(6), "run", spec, "--out", output, "--kernels", Repository.Kernels, "--prompts", Path.Combine(Repository.Root, "prompts"));
    }
}
