using Kernelsmith.Results.Reports;

namespace Kernelsmith.Cli.Tests.Reports;

public sealed class LineDiffTests
{
    [Fact]
    public void Unified_OneChangedLine_ShowsItWithThreeLinesOfContext()
    {
        var before = string.Join('\n', Enumerable.Range(1, 10).Select(i => $"line {i}")) + "\n";
        var after = before.Replace("line 5\n", "line five\n", StringComparison.Ordinal);

        var diff = LineDiff.Unified(before, after, "round-0/a.c", "round-1/a.c");

        Assert.Equal(
            "--- round-0/a.c\n+++ round-1/a.c\n@@ -2,7 +2,7 @@\n line 2\n line 3\n line 4\n-line 5\n+line five\n line 6\n line 7\n line 8\n",
            diff);
    }

    [Fact]
    public void Unified_ChangesFarApart_MakeTwoHunks()
    {
        var before = string.Join('\n', Enumerable.Range(1, 30).Select(i => $"{i}")) + "\n";
        var after = before.Replace("\n3\n", "\nthree\n", StringComparison.Ordinal).Replace("\n27\n", "\n", StringComparison.Ordinal);

        var diff = LineDiff.Unified(before, after, "a", "b");

        Assert.Equal(2, diff.Split('\n').Count(l => l.StartsWith("@@", StringComparison.Ordinal)));
        Assert.Contains("@@ -24,7 +24,6 @@", diff, StringComparison.Ordinal);
        Assert.Contains("-27\n", diff, StringComparison.Ordinal);
    }

    [Fact]
    public void Unified_LongPrograms_OneChangedLineIsOneSmallHunk()
    {
        // 3,000 lines each, changed near both ends: an LCS table of what lies between would need 9 million cells; the diff
        // still shows only what changed.
        var before = string.Join('\n', Enumerable.Range(1, 3000).Select(i => $"  a[{i}] = b[{i}] + c[{i}];")) + "\n";
        var after = before.Replace("  a[10] = b[10] + c[10];\n", "  a[10] = b[10] * c[10];\n", StringComparison.Ordinal)
            .Replace("  a[2990] =", "  #pragma omp simd\n  a[2990] =", StringComparison.Ordinal);

        var diff = LineDiff.Unified(before, after, "a", "b");

        Assert.Equal(2, diff.Split('\n').Count(l => l.StartsWith("@@", StringComparison.Ordinal)));
        Assert.Contains("@@ -7,7 +7,7 @@", diff, StringComparison.Ordinal);
        Assert.Equal(["-  a[10] = b[10] + c[10];", "+  a[10] = b[10] * c[10];", "+  #pragma omp simd"],
            diff.Split('\n').Where(l => l.Length > 0 && l[0] is '-' or '+' && !l.StartsWith("---", StringComparison.Ordinal) && !l.StartsWith("+++", StringComparison.Ordinal)));
    }

    [Fact]
    public void Unified_InsertionIntoEmptyAndEqualTexts()
    {
        Assert.Equal("", LineDiff.Unified("same\n", "same\n", "a", "b"));
        Assert.Equal("--- a\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n", LineDiff.Unified("", "x\ny\n", "a", "b"));
    }
}
