using System.Globalization;
using System.Text.RegularExpressions;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Results;

namespace Kernelsmith.Cli.Tests.Measurement;

/// <summary>
/// <c>kernelsmith calibrate</c> as a researcher uses it before a sweep: the node's bias, interval, half-width and pairs
/// per count on screen, then kept on the node, where its agents report it and every record they time carries it.
/// </summary>
public sealed partial class CalibrateTests
{
    private readonly string _work = Directory.CreateTempSubdirectory("kernelsmith-calibrate-").FullName;

    [Fact]
    public async Task Calibrate_AtOneAndTwoThreads_PrintsBiasIntervalHalfWidthAndPairsAndRecordsCarryThem()
    {
        var saved = Path.Combine(_work, "calibration.json");
        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync(TimeSpan.FromMinutes(5),
            "calibrate", "--kernel", "gemm", "--input", "tiny", "--threads", "1", "2", "--max-pairs", "8", "--save", saved, "--kernels", Repository.Kernels);

        Assert.True(exit == 0, stdout + stderr);
        var lines = stdout.Split('\n').Select(l => CountPattern().Match(l)).Where(m => m.Success).ToList();
        Assert.Equal(["1", "2"], lines.Select(m => m.Groups["threads"].Value));
        foreach (var line in lines)
        {
            double Number(string group) => double.Parse(line.Groups[group].Value, CultureInfo.InvariantCulture);
            var (bias, low, high) = (Number("bias"), Number("low"), Number("high"));
            Assert.InRange(bias, low, high);
            // From the printed (rounded) figures: within rounding of the half-width printed beside them.
            var halfWidth = Math.Max(high / bias, bias / low) * 100 - 100;
            Assert.True(Math.Abs(halfWidth - Number("half")) <= 0.2 + 0.01 * halfWidth, $"half-width {Number("half")} % printed, {halfWidth:F2} % from the interval: {line.Value}");
            Assert.InRange(int.Parse(line.Groups["pairs"].Value, CultureInfo.InvariantCulture), 1, 8);
            Assert.Matches("(quiet|biased|noisy: cannot tell 3 % apart)$", line.Value);
        }

        var records = await RunAsync(saved);
        var provenance = Assert.Single(records).Provenance.Calibration;
        Assert.NotNull(provenance);
        foreach (var line in lines)
        {
            // The same figures, as the node's agent reported them with its capabilities.
            Assert.Contains(line.Groups["figures"].Value, provenance, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Run_CalibrationTakenOnOtherHardware_IsNotClaimed()
    {
        var saved = Path.Combine(_work, "elsewhere.json");
        new CalibrationFile("another machine, 64 cores for jobs", DateTimeOffset.UtcNow, ["gemm/small at 1 thread(s): bias 1.000"]).Save(saved);

        var records = await RunAsync(saved);

        Assert.Null(Assert.Single(records).Provenance.Calibration);
    }

    /// <summary>A one-experiment embedded sweep whose agent reads the node's calibration from <paramref name="calibration"/>.</summary>
    private async Task<IReadOnlyList<ExperimentRecord>> RunAsync(string calibration)
    {
        var spec = Path.Combine(_work, $"sweep-{Guid.NewGuid():n}.yaml");
        await File.WriteAllTextAsync(spec, """
            name: calibrated
            kernels: [gemm]
            technologies: [openmp]
            models:
              - { id: expert, provider: sim, behaviour: expert }
            run: { input: tiny, threads: [1], max_pairs: 1, warmups: 0, expert: false }
            verify: { amplify: false, sanitizers: [] }
            """);
        var results = Path.Combine(_work, Path.GetFileNameWithoutExtension(spec));
        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync(TimeSpan.FromMinutes(5),
            new Dictionary<string, string> { ["Agent__CalibrationFile"] = calibration }, "run", spec, "--out", results, "--kernels", Repository.Kernels);
        Assert.True(exit == 0, stdout + stderr);
        return new ResultsDirectory(results).ReadRecords();
    }

    [GeneratedRegex(@": (?<figures>gemm/tiny at (?<threads>\d+) thread\(s\): bias (?<bias>[\d.]+) \[(?<low>[\d.]+), (?<high>[\d.]+)\], half-width (?<half>[\d.]+) %, (?<pairs>\d+) pairs, cv [\d.]+(, noisy)?), stopped at \w+: .+$")]
    private static partial Regex CountPattern();
}
