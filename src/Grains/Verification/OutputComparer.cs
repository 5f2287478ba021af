using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Kernelsmith.Contracts.Kernels;

namespace Kernelsmith.Grains.Verification;

/// <summary>Whether a candidate's output matches the reference, and if not, a short account of the first difference.</summary>
public sealed record Comparison(bool Matches, string Detail);

/// <summary>Compares outputs the way the kernel's folder says: exactly, with numeric tolerance, or as unordered lines.</summary>
public static class OutputComparer
{
    private const int MaxDetailLines = 6;

    public static Comparison Compare(string reference, string candidate, OutputComparison rule)
    {
        var expected = Lines(reference, rule);
        var actual = Lines(candidate, rule);
        if (actual.Count == 0 || actual.All(string.IsNullOrWhiteSpace))
        {
            return new(false, "the program printed nothing (after ignored lines)");
        }

        if (rule.Mode == ComparisonModes.Unordered)
        {
            expected = [.. expected.Order(StringComparer.Ordinal)];
            actual = [.. actual.Order(StringComparer.Ordinal)];
        }

        var differences = new StringBuilder();
        var count = 0;
        for (var i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            var want = i < expected.Count ? expected[i] : "<no line>";
            var got = i < actual.Count ? actual[i] : "<no line>";
            if (LinesMatch(want, got, rule))
            {
                continue;
            }

            if (++count <= MaxDetailLines)
            {
                differences.AppendLine(CultureInfo.InvariantCulture, $"line {i + 1}: expected '{Text.Clip(want, 120)}', got '{Text.Clip(got, 120)}'");
            }
        }

        if (count == 0)
        {
            return new(true, "");
        }

        if (count > MaxDetailLines)
        {
            differences.AppendLine(CultureInfo.InvariantCulture, $"... and {count - MaxDetailLines} more differing lines");
        }

        return new(false, differences.ToString().TrimEnd());
    }

    private static List<string> Lines(string text, OutputComparison rule)
    {
        var ignore = rule.IgnorePatterns.Select(p => new Regex(p, RegexOptions.None, TimeSpan.FromSeconds(1))).ToList();
        return text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n')
            .Select(l => l.TrimEnd())
            .Where(l => !ignore.Any(r => r.IsMatch(l)))
            .ToList();
    }

    private static bool LinesMatch(string expected, string actual, OutputComparison rule)
    {
        if (expected == actual)
        {
            return true;
        }

        if (rule.Mode != ComparisonModes.Numeric)
        {
            return false;
        }

        var want = Tokens(expected);
        var got = Tokens(actual);
        if (want.Length != got.Length)
        {
            return false;
        }

        for (var i = 0; i < want.Length; i++)
        {
            if (want[i] == got[i])
            {
                continue;
            }

            if (!TryNumber(want[i], out var a) || !TryNumber(got[i], out var b) || !WithinTolerance(a, b, rule))
            {
                return false;
            }
        }

        return true;
    }

    private static bool WithinTolerance(double expected, double actual, OutputComparison rule)
    {
        if (double.IsNaN(expected) || double.IsNaN(actual))
        {
            return false;
        }

        var difference = Math.Abs(expected - actual);
        return difference <= rule.AbsoluteTolerance || difference <= rule.RelativeTolerance * Math.Abs(expected);
    }

    private static string[] Tokens(string line) => line.Split([' ', '\t', ',', ';', '='], StringSplitOptions.RemoveEmptyEntries);

    private static bool TryNumber(string token, out double value) =>
        double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}
