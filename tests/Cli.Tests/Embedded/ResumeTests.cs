using System.Diagnostics;
using System.Text.Json;
using Kernelsmith.Cli.Tests.Cluster;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Results;

namespace Kernelsmith.Cli.Tests.Embedded;

/// <summary>
/// <c>kernelsmith run --resume</c> as a user meets it: a real run killed halfway (kill -9, Ctrl-C), then continued in the
/// same results directory, keeping what was recorded and running only the rest.
/// </summary>
public sealed class ResumeTests
{
    private const int Experiments = 6;
    private readonly string _work = Directory.CreateTempSubdirectory("kernelsmith-resume-").FullName;
    private readonly string _name = Guid.NewGuid().ToString("n")[..8];

    [Fact]
    public async Task Run_KilledHalfwayThenResumed_RecordsEachExperimentExactlyOnce()
    {
        var spec = await SpecAsync(Experiments);
        var output = Path.Combine(_work, "out");
        using (var first = Run(spec, output))
        {
            await WaitForRecordsAsync(first, output, Experiments / 2);
        }

        // Disposing killed it with SIGKILL: no chance to tidy up. What it wrote stays as it was.
        var kept = CompleteLines(output);
        Assert.InRange(kept.Count, Experiments / 2, Experiments - 1);

        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync(TimeSpan.FromMinutes(5), Args(spec, output, "--resume"));

        Assert.True(exit == 0, $"exit {exit}: {stderr}\n{stdout}");
        Assert.Contains($"Resuming: {kept.Count} experiment(s) already recorded", stderr, StringComparison.Ordinal);
        var lines = CompleteLines(output);
        Assert.Equal(kept, lines.Take(kept.Count));
        var records = lines.Select(l => JsonSerializer.Deserialize<ExperimentRecord>(l, ResultsDirectory.Json)!).ToList();
        Assert.Equal(Experiments, records.Count);
        Assert.Equal(Experiments, records.Select(r => r.Experiment).Distinct().Count());
        Assert.All(records, r => Assert.Equal(Verdict.Correct, r.Verdict));
        Assert.Equal(Experiments + 1, File.ReadLines(Path.Combine(output, ResultsDirectory.Csv)).Count());
        // The killed run left its jobs and artifacts behind; the run that finished the sweep removed them.
        Assert.False(Directory.Exists(Path.Combine(Path.GetTempPath(), "kernelsmith", records[0].Sweep)), "the sweep's work directory was left behind");
    }

    [Fact]
    public async Task Run_InterruptedWithCtrlC_SaysHowToResume()
    {
        var spec = await SpecAsync(Experiments);
        var output = Path.Combine(_work, "interrupted");
        using var run = Run(spec, output);
        await WaitForRecordsAsync(run, output, 1);

        using (var kill = Process.Start("kill", ["-INT", run.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var exit = await run.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(130, exit);
        Assert.Contains($"kernelsmith run {spec} --out {output} --resume", string.Join('\n', run.Lines), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ResumeWithAChangedSpec_IsRefusedKeepingTheRecords()
    {
        var output = Directory.CreateDirectory(Path.Combine(_work, "changed")).FullName;
        var recorded = """{"experiment":"resume-00000000/gemm/openmp/expert/plain/0","sweep":"resume-00000000","verdict":"correct"}""" + "\n";
        await File.WriteAllTextAsync(Path.Combine(output, ResultsDirectory.JsonLines), recorded);

        var (exit, _, stderr) = await CommandLineTests.KernelsmithAsync(Args(await SpecAsync(Experiments), output, "--resume"));

        Assert.Equal(2, exit);
        Assert.Contains("holds results of sweep 'resume-00000000', not of this spec", stderr, StringComparison.Ordinal);
        Assert.Contains("the spec or its kernels changed", stderr, StringComparison.Ordinal);
        Assert.Equal(recorded, await File.ReadAllTextAsync(Path.Combine(output, ResultsDirectory.JsonLines)));
    }

    [Fact]
    public async Task Run_OutputHoldingResultsWithoutResume_IsRefusedNamingResume()
    {
        var output = Directory.CreateDirectory(Path.Combine(_work, "held")).FullName;
        await File.WriteAllTextAsync(Path.Combine(output, ResultsDirectory.JsonLines), "{}\n");

        var (exit, _, stderr) = await CommandLineTests.KernelsmithAsync(Args(await SpecAsync(Experiments), output));

        Assert.Equal(2, exit);
        Assert.Contains("already holds results (results.jsonl); add --resume to continue that run", stderr, StringComparison.Ordinal);
    }

    /// <summary>
    /// One at a time, so "half" is a moment the test can catch; each experiment builds and runs a real program. A name of
    /// its own per test: a sweep's work directory is named after it, and tests of other classes run meanwhile.
    /// </summary>
    private async Task<string> SpecAsync(int samples)
    {
        var spec = Path.Combine(_work, "resume.yaml");
        await File.WriteAllTextAsync(spec, $"""
            name: resume-{_name}
            kernels: [gemm]
            technologies: [openmp]
            models:
              - {"{"} id: expert, provider: sim, behaviour: expert {"}"}
            samples: {samples}
            max_active: 1
            run: {"{"} input: tiny, threads: [1], repetitions: 1, timeout: 30, max_pairs: 1, warmups: 0, expert: false {"}"}
            verify: {"{"} amplify: false, sanitizers: [] {"}"}
            """);
        return spec;
    }

    private static string[] Args(string spec, string output, params string[] more) =>
        ["run", spec, "--out", output, "--kernels", Repository.Kernels, "--prompts", Path.Combine(Repository.Root, "prompts"), .. more];

    private static CliProcess Run(string spec, string output) => new(Args(spec, output));

    private static async Task WaitForRecordsAsync(CliProcess run, string output, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        while (CompleteLines(output).Count < count)
        {
            Assert.False(run.HasExited, "the run ended before the test could interrupt it:\n" + string.Join('\n', run.Lines));
            Assert.True(DateTime.UtcNow < deadline, $"fewer than {count} records after 4 minutes:\n" + string.Join('\n', run.Lines));
            await Task.Delay(100);
        }
    }

    /// <summary>The lines of results.jsonl ended by a newline: a record cut off by the kill is not one.</summary>
    private static List<string> CompleteLines(string output)
    {
        var file = Path.Combine(output, ResultsDirectory.JsonLines);
        if (!File.Exists(file))
        {
            return [];
        }

        var text = File.ReadAllText(file);
        return text[..(text.LastIndexOf('\n') + 1)].Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
    }
}
