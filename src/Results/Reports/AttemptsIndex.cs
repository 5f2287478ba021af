using System.Globalization;
using System.Text;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Results;

namespace Kernelsmith.Results.Reports;

/// <summary>
/// Writes <c>attempts.md</c> into an experiment's attempts folder: every round's prompt, answer, files, logs and
/// verdict as links, and the code diff from each round to the next, read from the round folders on disk.
/// </summary>
public static class AttemptsIndex
{
    public const string FileName = "attempts.md";

    /// <summary>Writes the index and returns its path relative to the results directory, or null when no attempt was written.</summary>
    public static string? Write(string resultsPath, ExperimentRecord record)
    {
        var relative = ResultsDirectory.AttemptsFolder(record);
        var folder = Path.Combine(resultsPath, relative);
        var rounds = Directory.Exists(folder)
            ? Directory.GetDirectories(folder, "round-*")
                .Select(d => (Path: d, Number: int.TryParse(Path.GetFileName(d)["round-".Length..], CultureInfo.InvariantCulture, out var n) ? n : -1))
                .Where(r => r.Number >= 0).OrderBy(r => r.Number).ToList()
            : [];
        if (rounds.Count == 0)
        {
            return null;
        }

        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# {record.Kernel} / {record.ModelLabel()} / {record.Technology} / {record.Prompt} / sample {record.Sample}");
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Final verdict **{record.Verdict.ToWireName()}** after {record.Rounds} round(s). Trace id `{record.TraceId}`. Experiment `{record.Experiment}`.");
        Dictionary<string, string>? previousFiles = null;
        var previousName = "";
        foreach (var (path, number) in rounds)
        {
            var name = $"round-{number}";
            var verdict = File.Exists(Path.Combine(path, "verdict.txt")) ? File.ReadAllText(Path.Combine(path, "verdict.txt")).Trim() : "";
            var files = Directory.Exists(Path.Combine(path, "files"))
                ? Directory.GetFiles(Path.Combine(path, "files")).Order(StringComparer.Ordinal).ToDictionary(f => Path.GetFileName(f), File.ReadAllText)
                : [];
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"## Round {number}: {verdict.Split('\n')[0]}");
            md.AppendLine();
            var links = new[] { ("prompt", "prompt.md"), ("answer", "answer.md"), ("build log", "build.log"), ("run log", "run.log"), ("verdict and feedback", "verdict.txt") }
                .Where(l => File.Exists(Path.Combine(path, l.Item2))).Select(l => $"[{l.Item1}]({name}/{l.Item2})")
                .Concat(files.Keys.Select(f => $"[`{f}`]({name}/files/{f})"));
            md.AppendLine(string.Join(" · ", links));
            var feedback = string.Join('\n', verdict.Split('\n').Skip(1)).Trim();
            if (feedback.Length > 0)
            {
                md.AppendLine();
                md.AppendLine("Feedback given to the model:");
                md.AppendLine();
                md.AppendLine("```text");
                md.AppendLine(feedback.Replace("```", "'''", StringComparison.Ordinal));
                md.AppendLine("```");
            }

            if (previousFiles is not null)
            {
                md.AppendLine();
                md.AppendLine(CultureInfo.InvariantCulture, $"Code changes from {previousName}:");
                md.AppendLine();
                var diff = Diff(previousFiles, files, previousName, name);
                md.AppendLine(diff.Length == 0 ? "(no change)" : $"```diff\n{diff.Replace("```", "'''", StringComparison.Ordinal)}```");
            }

            previousFiles = files;
            previousName = name;
        }

        File.WriteAllText(Path.Combine(folder, FileName), md.ToString());
        return $"{relative}/{FileName}";
    }

    /// <summary>The unified diff between two rounds' files (empty when nothing changed); the dashboard shows the same.</summary>
    public static string Diff(Dictionary<string, string> before, Dictionary<string, string> after, string beforeName, string afterName)
    {
        // One file on each side is the same program, even when the model renamed it.
        if (before.Count == 1 && after.Count == 1)
        {
            var (oldFile, oldText) = before.Single();
            var (newFile, newText) = after.Single();
            return LineDiff.Unified(oldText, newText, $"{beforeName}/{oldFile}", $"{afterName}/{newFile}");
        }

        return string.Concat(before.Keys.Union(after.Keys).Order(StringComparer.Ordinal).Select(file => LineDiff.Unified(
            before.GetValueOrDefault(file, ""), after.GetValueOrDefault(file, ""), $"{beforeName}/{file}", $"{afterName}/{file}")));
    }
}
