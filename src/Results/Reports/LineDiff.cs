using System.Globalization;
using System.Text;

namespace Kernelsmith.Results.Reports;

/// <summary>A unified diff of two texts, line by line: how a program changed between two repair rounds.</summary>
public static class LineDiff
{
    // Beyond this many cells the changed middle is shown as a whole replacement: an exact diff would cost too much memory.
    private const long MaxTableCells = 4_000_000;

    /// <summary>The unified diff (with <paramref name="context"/> lines around each change), or "" when the texts are equal.</summary>
    public static string Unified(string oldText, string newText, string oldName, string newName, int context = 3)
    {
        var ops = Edits(Lines(oldText), Lines(newText));
        var changes = ops.Select((op, i) => (op, i)).Where(x => x.op.Kind != ' ').Select(x => x.i).ToList();
        if (changes.Count == 0)
        {
            return "";
        }

        var diff = new StringBuilder();
        diff.Append(CultureInfo.InvariantCulture, $"--- {oldName}\n+++ {newName}\n");
        var start = 0;
        while (start < changes.Count)
        {
            // A hunk runs from a change to the last change that lies within 2 x context lines of the one before it.
            var end = start;
            while (end + 1 < changes.Count && changes[end + 1] - changes[end] <= 2 * context)
            {
                end++;
            }

            var from = Math.Max(0, changes[start] - context);
            var to = Math.Min(ops.Count - 1, changes[end] + context);
            var oldLine = ops.Take(from).Count(o => o.Kind != '+') + 1;
            var newLine = ops.Take(from).Count(o => o.Kind != '-') + 1;
            var hunk = ops.Skip(from).Take(to - from + 1).ToList();
            var oldCount = hunk.Count(o => o.Kind != '+');
            var newCount = hunk.Count(o => o.Kind != '-');
            diff.Append(CultureInfo.InvariantCulture, $"@@ -{(oldCount == 0 ? oldLine - 1 : oldLine)},{oldCount} +{(newCount == 0 ? newLine - 1 : newLine)},{newCount} @@\n");
            foreach (var op in hunk)
            {
                diff.Append(op.Kind).Append(op.Line).Append('\n');
            }

            start = end + 1;
        }

        return diff.ToString();
    }

    private static string[] Lines(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }

        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    private static List<(char Kind, string Line)> Edits(string[] a, string[] b)
    {
        var prefix = 0;
        while (prefix < a.Length && prefix < b.Length && a[prefix] == b[prefix])
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < a.Length - prefix && suffix < b.Length - prefix && a[^(suffix + 1)] == b[^(suffix + 1)])
        {
            suffix++;
        }

        var ops = a.Take(prefix).Select(l => (' ', l)).ToList();
        ops.AddRange(Middle(a[prefix..^suffix], b[prefix..^suffix]));
        ops.AddRange(a.Skip(a.Length - suffix).Select(l => (' ', l)));
        return ops;
    }

    /// <summary>The classic longest-common-subsequence table, walked forwards.</summary>
    private static IEnumerable<(char, string)> Middle(string[] a, string[] b)
    {
        if ((long)a.Length * b.Length > MaxTableCells)
        {
            return a.Select(l => ('-', l)).Concat(b.Select(l => ('+', l)));
        }

        // lcs[i, j] = length of the LCS of a[i..] and b[j..]
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        var ops = new List<(char, string)>();
        int x = 0, y = 0;
        while (x < a.Length && y < b.Length)
        {
            if (a[x] == b[y])
            {
                ops.Add((' ', a[x++]));
                y++;
            }
            else if (lcs[x + 1, y] >= lcs[x, y + 1])
            {
                ops.Add(('-', a[x++]));
            }
            else
            {
                ops.Add(('+', b[y++]));
            }
        }

        ops.AddRange(a.Skip(x).Select(l => ('-', l)));
        ops.AddRange(b.Skip(y).Select(l => ('+', l)));
        return ops;
    }
}
