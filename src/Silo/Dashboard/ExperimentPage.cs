using System.Text;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Results.Reports;
using static Kernelsmith.Silo.Dashboard.Html;

namespace Kernelsmith.Silo.Dashboard;

/// <summary>
/// One experiment: its record (verdict, speedups with their intervals, classified errors, trace id linked to Jaeger),
/// its job timeline on the agents, and every round: prompt, answer, extracted files, the diff from the previous round,
/// build and run logs, verdict and feedback.
/// </summary>
public static class ExperimentPage
{
    public static string Body(ExperimentRecord record, IReadOnlyList<Attempt> attempts, string? jaegerUrl)
    {
        var body = new StringBuilder();
        var trace = record.TraceId.Length == 0 ? "–"
            : jaegerUrl is { Length: > 0 } jaeger ? $"<a href=\"{E(jaeger.TrimEnd('/'))}/trace/{U(record.TraceId)}\" id=\"trace-id\">{E(record.TraceId)}</a>"
            : $"<code id=\"trace-id\">{E(record.TraceId)}</code>";
        body.Append("<dl class=\"summary\">");
        foreach (var (label, html) in new[]
        {
            ("Kernel", E(record.Kernel)), ("Model", E(record.ModelLabel())), ("Technology", E(record.Technology)), ("Prompt", E(record.Prompt)),
            ("Sample", record.Sample.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("Verdict", $"<span class=\"verdict {record.Verdict.ToWireName()}\" id=\"verdict\">{record.Verdict.ToWireName()}</span>"),
            ("Rounds", N(record.Rounds)), ("Best speedup [95 %]", SweepPage.Speedup(record)),
            ("Tokens", N(record.Tokens.Input + record.Tokens.Output)), ("Cost", record.CostUsd is { } cost ? "$" + N(cost, "0.0000") : "–"), ("Trace", trace),
        })
        {
            body.Append($"<div><dt>{label}</dt><dd>{html}</dd></div>");
        }

        body.Append("</dl>");
        body.Append($"<p><strong>Reason:</strong> {E(record.Reason)}</p>");
        body.Append("<section aria-labelledby=\"runs-title\"><h2 id=\"runs-title\">Runs and speedups</h2>").Append(Runs(record)).Append("</section>");
        if (record.Taxonomy.Count > 0)
        {
            body.Append("<section aria-labelledby=\"taxonomy-title\"><h2 id=\"taxonomy-title\">Classified errors</h2>")
                .Append(Table("Errors by stage and category, with the raw message", ["stage", "category", "message"],
                    record.Taxonomy.Select(t => $"<tr><td>{E(t.Stage)}</td><td>{E(t.Category)}</td><td><code>{E(SweepPage.Shorten(t.Message, 400))}</code></td></tr>")))
                .Append("</section>");
        }

        body.Append("<section aria-labelledby=\"jobs-title\"><h2 id=\"jobs-title\">Job timeline</h2>").Append(Timeline(record.Jobs)).Append("</section>");
        body.Append("<section aria-labelledby=\"rounds-title\" id=\"rounds\"><h2 id=\"rounds-title\">Rounds</h2>").Append(Rounds(attempts)).Append("</section>");
        return body.ToString();
    }

    private static string Runs(ExperimentRecord record)
    {
        if (record.Runs.Count == 0)
        {
            return "<p>No timed run: the program was not correct at any count.</p>";
        }

        var count = RecordFacts.CountName(record.Technology);
        return Table($"Paired timings against the sequential reference ({N(record.SequentialSeconds ?? 0, "0.####")} s)",
            [count, "seconds", "speedup", "95 % interval", "pairs", "flags", "expert speedup"],
            record.Runs.Select(m => $"<tr><td class=\"num\">{m.Count(record.Technology)}</td><td class=\"num\">{N(m.Seconds, "0.####")}</td><td class=\"num\">{N(m.Speedup, "0.00")}</td>"
                + $"<td class=\"num\">{(m.SpeedupCi is [var low, var high] ? $"[{N(low, "0.00")}, {N(high, "0.00")}]" : "–")}</td><td class=\"num\">{(m.Pairs is { } pairs ? N(pairs) : N(m.Repetitions))}</td>"
                + $"<td>{string.Join(", ", new[] { m.Noisy ? "noisy" : null, m.Superlinear ? "superlinear" : null }.OfType<string>())}</td>"
                + $"<td class=\"num\">{(m.ExpertSpeedup is { } expert ? N(expert, "0.00") : "–")}</td></tr>"));
    }

    private static string Timeline(IReadOnlyList<JobSpan> jobs)
    {
        if (jobs.Count == 0)
        {
            return "<p>No job ran on an agent.</p>";
        }

        var start = jobs.Min(j => j.QueuedUnixMs);
        var span = Math.Max(1, jobs.Max(j => j.FinishedUnixMs) - start);
        string Percent(long ms) => N(100.0 * ms / span, "0.##");
        return "<div class=\"timeline\">" + Table($"Jobs on the agents over {N(span / 1000.0, "0.##")} s (bar: from queued to finished; dark: running)",
            ["job", "kind", "agent", "cores", "waited s", "ran s", "timeline"],
            jobs.OrderBy(j => j.QueuedUnixMs).Select(j =>
                $"<tr><td>{E(j.Job)}</td><td>{E(j.Kind)}{(j.Cached ? " (cached)" : "")}</td><td>{E(j.Agent)}</td><td>{E(string.Join(",", j.Cores))}{(j.Exclusive ? " exclusive" : "")}</td>"
                + $"<td class=\"num\">{N((j.StartedUnixMs - j.QueuedUnixMs) / 1000.0, "0.###")}</td><td class=\"num\">{N((j.FinishedUnixMs - j.StartedUnixMs) / 1000.0, "0.###")}</td>"
                + $"<td class=\"bar-cell\"><span class=\"bar wait\" style=\"margin-left: {Percent(j.QueuedUnixMs - start)}%; width: {Percent(j.StartedUnixMs - j.QueuedUnixMs)}%\"></span>"
                + $"<span class=\"bar\" style=\"width: {Percent(Math.Max(j.FinishedUnixMs - j.StartedUnixMs, span / 200))}%\"></span></td></tr>")) + "</div>";
    }

    private static string Rounds(IReadOnlyList<Attempt> attempts)
    {
        if (attempts.Count == 0)
        {
            return "<p>No round was kept for this experiment.</p>";
        }

        var html = new StringBuilder();
        Dictionary<string, string>? previous = null;
        foreach (var attempt in attempts.OrderBy(a => a.Round))
        {
            var files = attempt.Files.GroupBy(f => f.Path).ToDictionary(g => g.Key, g => g.Last().Content);
            html.Append($"<section class=\"round\" id=\"round-{attempt.Round}\" aria-labelledby=\"round-{attempt.Round}-title\">")
                .Append($"<h3 id=\"round-{attempt.Round}-title\">Round {attempt.Round}: <span class=\"verdict {attempt.Verdict.ToWireName()}\">{attempt.Verdict.ToWireName()}</span></h3>");
            if (attempt.System.Length > 0)
            {
                html.Append(Block("System turn", attempt.System, "system"));
            }

            html.Append(Block("Prompt", attempt.Prompt, "prompt")).Append(Block("Answer", attempt.Answer, "answer"));
            foreach (var (path, content) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                html.Append(Block($"Extracted file {path}", content, "file"));
            }

            if (previous is not null)
            {
                var diff = AttemptsIndex.Diff(previous, files, $"round-{attempt.Round - 1}", $"round-{attempt.Round}");
                html.Append("<details open class=\"diff\"><summary>Diff from the previous round</summary>")
                    .Append(diff.Length == 0 ? "<p>(no change)</p>" : $"<pre class=\"diff\">{DiffLines(diff)}</pre>").Append("</details>");
            }

            // The logs are shown even when empty, so a missing log is told apart from a silent build or run.
            html.Append(Block("Extraction", attempt.ExtractLog, "extract")).Append(Block("Build log", Or(attempt.BuildLog, "(empty)"), "build-log", open: true))
                .Append(Block("Run log", Or(attempt.RunLog, "(empty: no run, or nothing printed)"), "run-log", open: true))
                .Append(Block("Feedback", attempt.Feedback, "feedback", open: true))
                .Append("</section>");
            previous = files;
        }

        return html.ToString();
    }

    private static string Block(string title, string text, string kind, bool open = false) =>
        text.Length == 0 ? "" : $"<details class=\"{kind}\"{(open ? " open" : "")}><summary>{E(title)}</summary><pre>{E(text)}</pre></details>";

    private static string Or(string text, string empty) => text.Length > 0 ? text : empty;

    private static string DiffLines(string diff) => string.Join('\n', diff.Split('\n').Select(line => line switch
    {
        ['+', '+', '+', ..] or ['-', '-', '-', ..] => $"<strong>{E(line)}</strong>",
        ['+', ..] => $"<span class=\"add\">{E(line)}</span>",
        ['-', ..] => $"<span class=\"del\">{E(line)}</span>",
        _ => E(line),
    }));
}
