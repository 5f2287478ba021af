using System.Text.Json;

namespace Kernelsmith.Cli.Tests;

/// <summary>
/// Issue 18, item 4: <c>--json</c> on the commands that measure or check (calibrate, kernels validate; bench's is in
/// BenchCommandTests), read as a script reads them: stdout parses as JSON with nothing else on it, and what they say
/// along the way is on stderr.
/// </summary>
public sealed class JsonOutputTests
{
    private readonly string _work = Directory.CreateTempSubdirectory("kernelsmith-json-").FullName;

    [Fact]
    public async Task Calibrate_Json_OneObjectPerAgentAndCount()
    {
        var saved = Path.Combine(_work, "calibration.json");
        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync(TimeSpan.FromMinutes(4),
            "calibrate", "--kernel", "gemm", "--input", "tiny", "--threads", "1", "--max-pairs", "3", "--save", saved, "--kernels", Repository.Kernels, "--json");

        Assert.True(exit == 0, stdout + stderr);
        var line = Assert.Single(MachineReadableOutputTests.Lines(stdout));
        var calibration = JsonDocument.Parse(line).RootElement;
        Assert.Equal("gemm", calibration.GetProperty("kernel").GetString());
        Assert.Equal(1, calibration.GetProperty("threads").GetInt32());
        var interval = calibration.GetProperty("speedup_ci").EnumerateArray().Select(v => v.GetDouble()).ToList();
        Assert.InRange(calibration.GetProperty("bias").GetDouble(), interval[0], interval[1]);
        Assert.InRange(calibration.GetProperty("pairs").GetInt32(), 1, 3);
        Assert.Contains(calibration.GetProperty("verdict").GetString(), new[] { "quiet", "biased", "noisy" });
        Assert.Equal(saved, calibration.GetProperty("saved").GetString());
        Assert.True(File.Exists(saved));
        Assert.Contains($"Saved to {saved}", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KernelsValidate_Json_OneSummaryObject()
    {
        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync("kernels", "validate", "gemm", "heat2d", "--kernels", Repository.Kernels, "--json");

        Assert.True(exit == 0, stdout + stderr);
        var summary = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(["gemm", "heat2d"], summary.GetProperty("kernels").EnumerateArray().Select(k => k.GetString()));
        Assert.False(summary.GetProperty("run").GetBoolean());
        Assert.True(summary.GetProperty("passed").GetBoolean());
        Assert.Empty(summary.GetProperty("solutions").EnumerateArray());
        Assert.Contains("2 kernel folder(s) valid", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KernelsValidateRun_Json_EachExpertSolutionsVerdict()
    {
        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync(TimeSpan.FromMinutes(5), "kernels", "validate", "gemm", "--run", "--kernels", Repository.Kernels, "--json");

        Assert.True(exit == 0, stdout + stderr);
        var summary = JsonDocument.Parse(stdout).RootElement;
        Assert.True(summary.GetProperty("run").GetBoolean());
        Assert.True(summary.GetProperty("passed").GetBoolean());
        var solutions = summary.GetProperty("solutions").EnumerateArray().ToList();
        Assert.Contains(solutions, s => s.GetProperty("kernel").GetString() == "gemm" && s.GetProperty("technology").GetString() == "openmp");
        Assert.All(solutions, s => Assert.Equal("correct", s.GetProperty("verdict").GetString()));
        Assert.True(Directory.Exists(summary.GetProperty("details").GetString()));
    }
}
