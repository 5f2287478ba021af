using Kernelsmith.Cli.Commands;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Results;

namespace Kernelsmith.Cli.Tests.Embedded;

/// <summary>
/// Embedded sweeps (real gcc, gRPC, Orleans, sandbox) of two test kernels whose output alone says little: weakcount prints
/// only its step count; filecheck writes its results to a file its own checker judges (TestData/kernels/*/).
/// </summary>
public sealed class VerificationStrengthSweepTests
{
    /// <summary>A correct verdict resting on one number that no input changes is marked weak in the record and the report.</summary>
    [Fact]
    public async Task Sweep_CorrectVerdictOnAStepCount_IsMarkedWeakInRecordAndReport()
    {
        var (records, output) = await RunAsync("weakcount.yaml");

        var record = Assert.Single(records);
        Assert.True(record.Verdict == Verdict.Correct, $"{record.Verdict}: {record.Reason}");
        Assert.Equal(1, record.ReferenceOutput!.Numbers);
        Assert.False(record.ReferenceOutput.ChangesAcrossInputs);
        Assert.Equal("1 number compared; the same output on every input", record.ReferenceOutput.Weakness);
        var report = await File.ReadAllTextAsync(Path.Combine(output, "report.md"));
        Assert.Contains("Weak verification: correct verdicts on weakcount (1 verdict: 1 number compared; the same output on every input)", report, StringComparison.Ordinal);
    }

    /// <summary>
    /// The kernel's checker, a shell script of the user's, judges the file each answer writes: the same lines in another
    /// order pass (an exact comparison of the file would not), a wrong value fails with what the checker printed.
    /// </summary>
    [Fact]
    public async Task Sweep_KernelWithAChecker_JudgesTheOutputFileByIt()
    {
        var (records, _) = await RunAsync("filecheck.yaml");

        var reordered = Assert.Single(records, r => r.Sample == 0);
        Assert.True(reordered.Verdict == Verdict.Correct, $"{reordered.Verdict}: {reordered.Reason}");
        Assert.Null(reordered.ReferenceOutput!.Weakness);
        var wrong = Assert.Single(records, r => r.Sample == 1);
        Assert.Equal(Verdict.WrongOutput, wrong.Verdict);
        Assert.Contains("the kernel's checker (sh check.sh) rejected the output files (exit 1): result.dat holds other lines than the reference's", wrong.Reason, StringComparison.Ordinal);
    }

    private static async Task<(IReadOnlyList<ExperimentRecord> Records, string Output)> RunAsync(string spec)
    {
        var output = Path.Combine(Path.GetTempPath(), "kernelsmith-tests", Path.GetFileNameWithoutExtension(spec) + "-" + Guid.NewGuid().ToString("n")[..8]);
        await RunCommand.RunAsync(new FileInfo(Repository.TestData(spec)), new DirectoryInfo(output), [Repository.TestData("kernels")], CancellationToken.None);
        return (new ResultsDirectory(output).ReadRecords(), output);
    }
}
