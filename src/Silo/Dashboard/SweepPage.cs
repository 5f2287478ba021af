using System.Text;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;
using static Kernelsmith.Silo.Dashboard.Html;

namespace Kernelsmith.Silo.Dashboard;

/// <summary>
/// One sweep: its figures, the verdict matrix (kernel x model x technology) filling in, the error taxonomy heatmap,
/// speedup curves with their intervals, and its experiments, all under the page's filters.
/// </summary>
public static class SweepPage
{
    private static readonly string[] s_verdicts = [.. Enum.GetValues<Verdict>().Select(v => v.ToWireName())];

    /// <summary>The parts of the page that change as the sweep runs, by element id (the plots apart: see <see cref="SweepPlots"/>).</summary>
    public static IEnumerable<(string Id, string Html)> Live(SweepEntry entry, SweepView view, SweepFilter filter)
    {
        var records = view.Records.Where(filter.Matches).ToList();
        foreach (var (cell, html) in SweepsPage.Cells(entry, view))
        {
            yield return ($"summary-{cell}", html);
        }

        yield return ("matrix", Matrix(entry, records));
        yield return ("heatmap", Heatmap(records));
        yield return ("experiments", Experiments(entry, records));
    }

    public static string Body(SweepEntry entry, SweepView view, SweepFilter filter, string actions, string plots)
    {
        var body = new StringBuilder();
        body.Append("<dl class=\"summary\">");
        var labels = new Dictionary<string, string>
        {
            ["progress"] = "Recorded", ["active"] = "Active", ["rate"] = "Rate / time left", ["cost"] = "Tokens / cost", ["verdicts"] = "Verdicts", ["state"] = "State",
        };
        foreach (var (id, html) in Live(entry, view, filter).Where(p => p.Id.StartsWith("summary-", StringComparison.Ordinal)))
        {
            body.Append($"<div><dt>{labels[id["summary-".Length..]]}</dt><dd id=\"{id}\">{html}</dd></div>");
        }

        body.Append($"<div><dt>Submitted by</dt><dd>{E(entry.Submitter)}</dd></div><div><dt>Actions</dt><dd id=\"summary-actions\">{actions}</dd></div></dl>");
        body.Append(Filters(entry, filter));
        var live = Live(entry, view, filter).ToDictionary(p => p.Id, p => p.Html);
        body.Append("<section aria-labelledby=\"matrix-title\"><h2 id=\"matrix-title\">Verdicts by kernel, model and technology</h2>")
            .Append("<p>Each cell: experiments recorded of those the cell holds, and their verdicts.</p>")
            .Append($"<div id=\"matrix\">{live["matrix"]}</div></section>");
        body.Append("<section aria-labelledby=\"heatmap-title\"><h2 id=\"heatmap-title\">Error taxonomy</h2>")
            .Append("<p>Share of each model's recorded experiments with at least one error of the category (docs/taxonomy.md); darker is more.</p>")
            .Append($"<div id=\"heatmap\">{live["heatmap"]}</div></section>");
        body.Append("<section aria-labelledby=\"plots-title\"><h2 id=\"plots-title\">Speedup curves</h2>")
            .Append("<p>Median speedup over the correct samples at each thread or rank count, with the medians of their 95 % intervals as error bars; the dashed line is ideal linear speedup. Redrawn at most every 10 s.</p>")
            .Append($"<div id=\"plots\" class=\"plots\">{plots}</div></section>");
        body.Append("<section aria-labelledby=\"experiments-title\"><h2 id=\"experiments-title\">Experiments</h2>")
            .Append($"<div id=\"experiments\">{live["experiments"]}</div></section>");
        return body.ToString();
    }

    private static string Filters(SweepEntry entry, SweepFilter filter)
    {
        static string Select(string name, string label, IEnumerable<(string Value, string Text)> options, string? chosen) =>
            $"<label for=\"filter-{name}\">{label}<select id=\"filter-{name}\" name=\"{name}\"><option value=\"\">all</option>"
            + string.Concat(options.Select(o => $"<option value=\"{E(o.Value)}\"{(o.Value == chosen ? " selected" : "")}>{E(o.Text)}</option>")) + "</select></label>";

        return "<form method=\"get\" class=\"filters\" aria-label=\"Filters\">"
            + Select("kernel", "Kernel", entry.Kernels.Select(k => (k, k)), filter.Kernel)
            + Select("model", "Model", entry.Models.Select(m => (m.Id, m.DisplayName)), filter.Model)
            + Select("technology", "Technology", entry.Technologies.Select(t => (t, t)), filter.Technology)
            + Select("verdict", "Verdict", s_verdicts.Select(v => (v, v)), filter.Verdict)
            + "<button type=\"submit\">Apply</button></form>";
    }

    private static string Matrix(SweepEntry entry, IReadOnlyList<ExperimentRecord> records)
    {
        var columns = entry.Models.SelectMany(m => entry.Technologies.Select(t => (Model: m, Technology: t))).ToList();
        var cells = records.ToLookup(r => (r.Kernel, r.Model, r.Technology));
        var rows = entry.Kernels.Select(kernel =>
            $"<tr><th scope=\"row\">{E(kernel)}</th>" + string.Concat(columns.Select(c =>
            {
                var cell = cells[(kernel, c.Model.DisplayName, c.Technology)].ToList();
                var chips = SweepsPage.Verdicts(cell.GroupBy(r => r.Verdict).ToDictionary(g => g.Key, g => g.Count()));
                return $"<td data-cell=\"{E(kernel)}|{E(c.Model.Id)}|{E(c.Technology)}\"><span class=\"count\">{cell.Count} / {entry.PerCell}</span> {(cell.Count == 0 ? "" : chips)}</td>";
            })) + "</tr>");
        return Table("Verdict matrix", ["kernel", .. columns.Select(c => $"{c.Model.DisplayName} / {c.Technology}")], rows);
    }

    private static string Heatmap(IReadOnlyList<ExperimentRecord> records)
    {
        var models = records.Select(r => r.Model).Distinct().Order(StringComparer.Ordinal).ToList();
        var categories = records.SelectMany(r => r.Taxonomy.Select(t => t.Category)).Distinct().Order(StringComparer.Ordinal).ToList();
        if (categories.Count == 0)
        {
            return "<p>No classified error among the recorded experiments.</p>";
        }

        var perModel = records.GroupBy(r => r.Model).ToDictionary(g => g.Key, g => g.Count());
        var rows = categories.Select(category => $"<tr><th scope=\"row\">{E(category)}</th>" + string.Concat(models.Select(model =>
        {
            var hit = records.Count(r => r.Model == model && r.Taxonomy.Any(t => t.Category == category));
            var share = (double)hit / perModel[model];
            var alpha = N(0.08 + (share * 0.8), "0.00");
            var ink = share > 0.55 ? "#fff" : "inherit";
            return $"<td class=\"num\" style=\"background: rgba(178, 24, 43, {alpha}); color: {ink}\">{hit} ({N(share * 100, "0")} %)</td>";
        })) + "</tr>");
        return Table("Error taxonomy heatmap: experiments with the category, per model", ["category", .. models], rows);
    }

    private static string Experiments(SweepEntry entry, IReadOnlyList<ExperimentRecord> records)
    {
        const int shown = 200;
        var rows = records.AsEnumerable().Reverse().Take(shown).Select(r =>
            $"<tr><td><a href=\"/sweeps/{U(entry.SweepId)}/experiments/{U(r.Experiment)}\">{E(r.Kernel)} / {E(r.Model)} / {E(r.Technology)} / {E(r.Prompt)} / {r.Sample}</a></td>"
            + $"<td><span class=\"verdict {r.Verdict.ToWireName()}\">{r.Verdict.ToWireName()}</span></td><td class=\"num\">{r.Rounds}</td>"
            + $"<td class=\"num\">{Speedup(r)}</td><td>{E(Shorten(r.Reason, 140))}</td></tr>");
        var caption = records.Count > shown ? $"The {shown} latest of {records.Count} recorded experiments" : $"{records.Count} recorded experiment(s), latest first";
        return Table(caption, ["experiment", "verdict", "rounds", "best speedup [95 % interval]", "reason"], rows);
    }

    public static string Speedup(ExperimentRecord record) =>
        record.Speedup is not { } speedup ? "–"
            : N(speedup, "0.00") + (record.SpeedupCi is [var low, var high] ? $" [{N(low, "0.00")}, {N(high, "0.00")}]" : "")
              + (record.Noisy ? " noisy" : "") + (record.Superlinear ? " superlinear" : "");

    public static string Shorten(string text, int length) => text.Length <= length ? text : text[..length] + "…";
}
