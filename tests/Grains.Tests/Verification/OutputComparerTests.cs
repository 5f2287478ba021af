using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Grains.Verification;

namespace Kernelsmith.Grains.Tests.Verification;

public sealed class OutputComparerTests
{
    private static readonly OutputComparison Exact = new(ComparisonModes.Exact, 0, 0, []);
    private static readonly OutputComparison Numeric = new(ComparisonModes.Numeric, 1e-9, 1e-6, ["^time"]);

    [Fact]
    public void Compare_IdenticalOutput_Matches() =>
        Assert.True(OutputComparer.Compare("a 1\nb 2\n", "a 1\nb 2", Exact).Matches);

    [Fact]
    public void Compare_DifferentLine_ReportsWhereAndWhat()
    {
        var result = OutputComparer.Compare("sum 10\n", "sum 11\n", Exact);

        Assert.False(result.Matches);
        Assert.Contains("line 1: expected 'sum 10', got 'sum 11'", result.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_NumbersWithinRelativeTolerance_Match() =>
        Assert.True(OutputComparer.Compare("total 1.0000000e+06\n", "total 1.0000001e+06\n", Numeric).Matches);

    [Fact]
    public void Compare_NumbersOutsideTolerance_DoNotMatch() =>
        Assert.False(OutputComparer.Compare("total 1.0e+06\n", "total 1.1e+06\n", Numeric).Matches);

    [Fact]
    public void Compare_IgnoredTimingLine_DoesNotCount() =>
        Assert.True(OutputComparer.Compare("time 1.5 s\nsum 3\n", "time 0.2 s\nsum 3\n", Numeric).Matches);

    [Fact]
    public void Compare_EmptyOutput_NeverMatches()
    {
        Assert.False(OutputComparer.Compare("", "", Exact).Matches);
        Assert.False(OutputComparer.Compare("time 1\n", "time 2\n", Numeric).Matches);
    }

    [Fact]
    public void Compare_NaN_NeverMatches() =>
        Assert.False(OutputComparer.Compare("x nan\n", "x nan2\n", Numeric).Matches);

    [Fact]
    public void Compare_Unordered_AcceptsAnyLineOrder()
    {
        var unordered = Exact with { Mode = ComparisonModes.Unordered };

        Assert.True(OutputComparer.Compare("a\nb\nc\n", "c\na\nb\n", unordered).Matches);
        Assert.False(OutputComparer.Compare("a\nb\nc\n", "c\na\na\n", unordered).Matches);
    }

    [Fact]
    public void Compare_MissingLines_AreDifferences()
    {
        var result = OutputComparer.Compare("a\nb\n", "a\n", Exact);

        Assert.False(result.Matches);
        Assert.Contains("<no line>", result.Detail, StringComparison.Ordinal);
    }

    /// <summary>The study's codes print the result and their own timing on one line: only the result must match.</summary>
    private const string TimingLine = "Minimum distance 1234 found in 0.8123 seconds\n";

    [Fact]
    public void Compare_SelectedGroups_AreWhatIsCompared()
    {
        var select = Exact with { SelectPatterns = [@"^Minimum distance (\d+) found in [0-9.]+ seconds$"] };

        Assert.True(OutputComparer.Compare(TimingLine, "Minimum distance 1234 found in 0.2 seconds\n", select).Matches);
        var wrong = OutputComparer.Compare(TimingLine, "Minimum distance 1235 found in 0.2 seconds\n", select);
        Assert.False(wrong.Matches);
        Assert.Contains("expected '1234', got '1235'", wrong.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(@"in [0-9.]+ seconds")]
    [InlineData(@"in ([0-9.]+) seconds")]
    public void Compare_MaskedField_IsLeftOutOfTheLine(string mask)
    {
        var masked = Exact with { MaskPatterns = [mask] };

        Assert.True(OutputComparer.Compare(TimingLine, "Minimum distance 1234 found in 0.2 seconds\n", masked).Matches);
        Assert.False(OutputComparer.Compare(TimingLine, "Minimum distance 99 found in 0.2 seconds\n", masked).Matches);
    }
}
