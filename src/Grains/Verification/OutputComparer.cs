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
        var expected = ComparedLines(reference, rule);
        var actual = ComparedLines(candidate, rule);
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

    /// <summary>An output's lines as they are compared: ignored lines left out, selected groups and masks applied.</summary>
    public static List<string> ComparedLines(string text, OutputComparison rule)
    {
        var ignore = rule.IgnorePatterns.Select(Pattern).ToList();
        var select = rule.SelectPatterns.Select(Pattern).ToList();
        var mask = rule.MaskPatterns.Select(Pattern).ToList();
        return Unchecked(text.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'), rule.CheckedOutputs)
            .Select(l => l.TrimEnd())
            .Where(l => !ignore.Any(r => r.IsMatch(l)))
            .Select(l => Masked(Selected(l, select), mask))
            .ToList();
    }

    /// <summary>The lines without the sections of output files a checker judges (each from its <c>=== NAME ===</c> line to the next file's).</summary>
    private static IEnumerable<string> Unchecked(IEnumerable<string> lines, IReadOnlyList<string> checkedOutputs)
    {
        var skipping = false;
        foreach (var line in lines)
        {
            if (checkedOutputs.Count > 0 && line.StartsWith("=== ", StringComparison.Ordinal) && line.EndsWith(" ===", StringComparison.Ordinal) && line.Length > 8)
            {
                skipping = checkedOutputs.Contains(line[4..^4]);
            }

            if (!skipping)
            {
                yield return line;
            }
        }
    }

    private static Regex Pattern(string pattern) => new(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));

    /// <summary>The line as the first select pattern it matches sees it: its groups, space-separated; else the line.</summary>
    private static string Selected(string line, IReadOnlyList<Regex> select)
    {
        foreach (var pattern in select)
        {
            var match = pattern.Match(line);
            if (match.Success)
            {
                return match.Groups.Count > 1 ? string.Join(' ', match.Groups.Cast<Group>().Skip(1).Select(g => g.Value)) : match.Value;
            }
        }

        return line;
    }

    /// <summary>The line with every match (or every group of a match) of the mask patterns replaced by <c>*</c>.</summary>
    private static string Masked(string line, IReadOnlyList<Regex> mask)
    {
        foreach (var pattern in mask)
        {
            line = pattern.Replace(line, match => match.Groups.Count > 1 ? MaskGroups(match) : "*");
        }

        return line;
    }

    private static string MaskGroups(Match match)
    {
        var text = match.Value;
        foreach (var group in match.Groups.Cast<Group>().Skip(1).Where(g => g.Success).OrderByDescending(g => g.Index))
        {
            var start = group.Index - match.Index;
            text = text[..start] + "*" + text[(start + group.Length)..];
        }

        return text;
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

    /// <summary>The fields of a line that <c>numeric</c> mode compares one by one.</summary>
    public static string[] Tokens(string line) => line.Split([' ', '\t', ',', ';', '='], StringSplitOptions.RemoveEmptyEntries);

    public static bool TryNumber(string token, out double value) =>
        double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
}
