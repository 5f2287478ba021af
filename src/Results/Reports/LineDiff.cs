using System.Globalization;
using System.Text;
using DiffPlex;

namespace Kernelsmith.Results.Reports;

/// <summary>A unified diff of two texts, line by line: how a program changed between two repair rounds.</summary>
public static class LineDiff
{
    /// <summary>The unified diff (with <paramref name="context"/> lines around each change), or "" when the texts are equal.</summary>
    public static string Unified(string oldText, string newText, string oldName, string newName, int context = 3)
    {
        var ops = Edits(oldText, newText);
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

    /// <summary>The text's lines, a final line break ending the last one; DiffPlex cuts the texts the same way, so its block indexes are indexes into these.</summary>
    private static string[] Lines(string text)
    {
        if (text.Length == 0)
        {
            return [];
        }

        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        return text.EndsWith('\n') ? lines[..^1] : lines;
    }

    /// <summary>
    /// The line edits from the old text to the new: DiffPlex's Myers diff, linear in memory, so two long
    /// programs get an exact diff (the LCS table this replaced gave up beyond 4 million cells and showed a whole replacement).
    /// </summary>
    private static List<(char Kind, string Line)> Edits(string oldText, string newText)
    {
        var (a, b) = (Lines(oldText), Lines(newText));
        var ops = new List<(char Kind, string Line)>();
        var x = 0;
        foreach (var block in Differ.Instance.CreateCustomDiffs(oldText, newText, false, false, Lines).DiffBlocks)
        {
            while (x < block.DeleteStartA)
            {
                ops.Add((' ', a[x++]));
            }

            ops.AddRange(a.Skip(block.DeleteStartA).Take(block.DeleteCountA).Select(l => ('-', l)));
            ops.AddRange(b.Skip(block.InsertStartB).Take(block.InsertCountB).Select(l => ('+', l)));
            x = block.DeleteStartA + block.DeleteCountA;
        }

        ops.AddRange(a.Skip(x).Select(l => (' ', l)));
        return ops;
    }
}
