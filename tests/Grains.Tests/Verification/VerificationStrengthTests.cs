using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Grains.Scheduling;
using Kernelsmith.Grains.Verification;

namespace Kernelsmith.Grains.Tests.Verification;

public sealed class VerificationStrengthTests
{
    private static readonly OutputComparison Exact = new(ComparisonModes.Exact, 0, 0, []);

    [Fact]
    public void Measure_StepCountOnly_IsWeak()
    {
        var strength = VerificationStrength.Measure("done after 50 steps\n", Exact, changes: false);

        Assert.Equal((20, 1, 1), (strength.Bytes, strength.Lines, strength.Numbers));
        Assert.Equal("1 number compared; the same output on every input", strength.Weakness);
    }

    /// <summary>What the compare rules leave out is not verification: a masked timing is no number compared.</summary>
    [Fact]
    public void Measure_ResultBesideAMaskedTiming_CountsOnlyTheResult()
    {
        var compare = Exact with { MaskPatterns = ["in ([0-9.]+) s"] };

        var strength = VerificationStrength.Measure("centre 0.25 total 12.5 in 0.81 s\n", compare, changes: true);

        Assert.Equal(2, strength.Numbers);
        Assert.Null(strength.Weakness);
    }

    [Fact]
    public void Measure_OneNumberJudgedBesideAChecker_IsNotWeak() =>
        Assert.Null(VerificationStrength.Measure("wrote 200 values\n=== result.dat ===\n0 0\n", Exact with { CheckedOutputs = ["result.dat"] }, null, checker: true).Weakness);

    /// <summary>A file a checker judges is left out of the comparison; the printed lines before it are still compared.</summary>
    [Fact]
    public void Compare_CheckedOutputFile_IsNotCompared()
    {
        var compare = Exact with { CheckedOutputs = ["result.dat"] };

        Assert.True(OutputComparer.Compare("wrote 2\n=== result.dat ===\n0 0\n1 1", "wrote 2\n=== result.dat ===\n1 1\n0 0", compare).Matches);
        Assert.False(OutputComparer.Compare("wrote 2\n=== result.dat ===\n0 0", "wrote 3\n=== result.dat ===\n0 0", compare).Matches);
    }

    [Fact]
    public void OutputFilesOf_ProducedOutput_GivesTheFilesBack()
    {
        var produced = Jobs.ProducedOutput("=== a.dat ===\nprinted\n", [new CodeFile("a.dat", "1\n2\n"), new CodeFile("b.dat", "3\n")]);

        var files = Jobs.OutputFilesOf(produced, ["a.dat", "b.dat"]);

        Assert.Equal([new CodeFile("a.dat", "1\n2\n"), new CodeFile("b.dat", "3\n")], files);
    }
}
