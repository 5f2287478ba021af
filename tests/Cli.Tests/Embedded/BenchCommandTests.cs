using System.Text.Json;

namespace Kernelsmith.Cli.Tests.Embedded;

/// <summary>
/// <c>kernelsmith bench</c> as a user reads it: which mode it measured (orchestration only, or end to end), every
/// experiment recorded, the jobs the job mix asked for, and the figures bench.json keeps. Its speed is not asserted:
/// the figures are measurements for the note, not test thresholds.
/// </summary>
public sealed class BenchCommandTests
{
    [Fact]
    public async Task NoProcesses_RealisticMix_RecordsEveryExperimentAndSaysNothingRan()
    {
        var output = Directory.CreateTempSubdirectory("kernelsmith-bench-test-").FullName;

        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync(TimeSpan.FromMinutes(4),
            "bench", "--experiments", "12", "--latency-ms", "0", "--concurrency", "4", "--job-mix", "realistic", "--no-processes", "--json", "--out", output);

        Assert.True(exit == 0, stderr);
        var bench = JsonDocument.Parse(stdout).RootElement;
        Assert.StartsWith("orchestration only", bench.GetProperty("mode").GetString(), StringComparison.Ordinal);
        var figures = bench.GetProperty("figures");
        Assert.Equal(12, figures.GetProperty("recorded").GetDouble());
        // Two thread counts: two measurements per experiment, and the expert's at each, once for the kernel; sanitizer
        // builds besides the candidate's.
        Assert.Equal(12 * 2 + 2, figures.GetProperty("jobs_measure").GetDouble());
        Assert.True(figures.GetProperty("jobs_build").GetDouble() > 12, stdout);
        Assert.True(figures.TryGetProperty("agent_choice_p50_ms", out _), stdout);
        Assert.False(figures.TryGetProperty("makespan_over_lower_bound", out _), "a zero bound gives no ratio: " + stdout);
        var records = File.ReadAllLines(Path.Combine(output, "results", "results.jsonl"));
        Assert.Equal(12, records.Length);
        Assert.All(records, r => Assert.Contains("nothing was compiled", r, StringComparison.Ordinal));
        var saved = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "bench.json"))).RootElement.GetProperty("figures");
        Assert.Equal(figures.EnumerateObject().Select(f => (f.Name, f.Value.GetDouble())), saved.EnumerateObject().Select(f => (f.Name, f.Value.GetDouble())));
    }

    [Fact]
    public async Task EndToEnd_TimesRealJobsAndSeparatesTransitFromQueueing()
    {
        var output = Directory.CreateTempSubdirectory("kernelsmith-bench-test-").FullName;

        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync(TimeSpan.FromMinutes(4),
            "bench", "--experiments", "4", "--latency-ms", "0", "--json", "--out", output);

        Assert.True(exit == 0, stderr);
        var bench = JsonDocument.Parse(stdout).RootElement;
        Assert.StartsWith("end to end", bench.GetProperty("mode").GetString(), StringComparison.Ordinal);
        var figures = bench.GetProperty("figures");
        Assert.Equal(4, figures.GetProperty("correct").GetDouble());
        Assert.Equal(4, figures.GetProperty("jobs_measure").GetDouble());
        Assert.True(figures.GetProperty("compute_bound_s").GetDouble() > 0, stdout);
        Assert.True(figures.GetProperty("dispatch_p50_ms").GetDouble() > 0, stdout);
        Assert.True(figures.GetProperty("transit_p50_ms").GetDouble() >= 0, stdout);
        Assert.DoesNotContain("nothing was compiled", File.ReadAllText(Path.Combine(output, "results", "results.jsonl")), StringComparison.Ordinal);
    }
}
