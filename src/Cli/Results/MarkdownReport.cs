using System.Globalization;
using System.Text;
using Kernelsmith.Contracts.Experiments;

namespace Kernelsmith.Cli.Results;

/// <summary>A first <c>report.md</c>: setup, verdict counts and one row per experiment, all from recorded runs.</summary>
public static class MarkdownReport
{
    public const string FileName = "report.md";

    public static string Render(string sweep, IReadOnlyList<ExperimentRecord> records)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# Kernelsmith report: {sweep}");
        md.AppendLine();
        if (records.Any(r => r.Provenance.Simulated))
        {
            md.AppendLine("> **Simulated models.** Rows whose model is marked *simulated* come from `sim` or `replay` models, not from a live LLM.");
            md.AppendLine();
        }

        md.AppendLine("## Setup");
        md.AppendLine();
        foreach (var line in records.Select(r => $"- agent `{r.Provenance.Agent}`: {r.Provenance.Hardware}; {r.Provenance.Toolchain}").Distinct().Order(StringComparer.Ordinal))
        {
            md.AppendLine(line);
        }

        md.AppendLine();
        md.AppendLine("## Verdicts");
        md.AppendLine();
        md.AppendLine("| verdict | experiments |");
        md.AppendLine("|---|---:|");
        foreach (var group in records.GroupBy(r => r.Verdict).OrderBy(g => g.Key))
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| {group.Key.ToWireName()} | {group.Count()} |");
        }

        md.AppendLine();
        md.AppendLine("## Experiments");
        md.AppendLine();
        md.AppendLine("Speedup = median time of the sequential reference / median time of the parallel program, both measured on the same agent; shown only for correct programs.");
        md.AppendLine();
        md.AppendLine("| kernel | model | technology | sample | verdict | rounds | sequential s | best speedup | at | times (s) per count | trace | attempts |");
        md.AppendLine("|---|---|---|---:|---|---:|---:|---:|---:|---|---|---|");
        foreach (var r in records.OrderBy(r => r.Kernel, StringComparer.Ordinal).ThenBy(r => r.Model, StringComparer.Ordinal)
                     .ThenBy(r => r.Technology, StringComparer.Ordinal).ThenBy(r => r.Sample))
        {
            var times = string.Join(", ", r.Runs.Select(m => $"{(r.Technology == "mpi" ? m.Ranks : m.Threads)}: {m.Seconds:F4}"));
            var at = r.BestThreads is { } n ? $"{n} {(r.Technology == "mpi" ? "ranks" : "threads")}" : "";
            var speedup = r.Speedup is { } s ? s.ToString("F2", CultureInfo.InvariantCulture) : "";
            var sequential = r.SequentialSeconds is { } q ? q.ToString("F4", CultureInfo.InvariantCulture) : "";
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Kernel} | {r.Model} | {r.Technology} | {r.Sample} | {r.Verdict.ToWireName()} | {r.Rounds} | {sequential} | {speedup} | {at} | {times} | `{r.TraceId}` | [attempts]({ResultsDirectory.AttemptsFolder(r)}) |");
        }

        var failures = records.Where(r => r.Verdict != Verdict.Correct).ToList();
        if (failures.Count > 0)
        {
            md.AppendLine();
            md.AppendLine("## What went wrong");
            md.AppendLine();
            foreach (var r in failures)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"- **{r.Kernel} / {r.Model} / {r.Technology} / {r.Sample}**: {r.Verdict.ToWireName()}: {r.Reason.Split('\n')[0]}");
            }
        }

        return md.ToString();
    }
}
