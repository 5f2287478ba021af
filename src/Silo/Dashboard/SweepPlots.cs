using System.Collections.Concurrent;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Results.Reports;
using static Kernelsmith.Silo.Dashboard.Html;

namespace Kernelsmith.Silo.Dashboard;

/// <summary>
/// A sweep's speedup curves, drawn on the silo with the report's own plots (ScottPlot, inline SVG): one plot per kernel
/// and technology, one line per model. Drawing costs far more than the rest of the page, so each sweep and filter is
/// redrawn only when records were added, and at most every <see cref="s_redraw"/>.
/// </summary>
public sealed class SweepPlots(TimeProvider time)
{
    private static readonly TimeSpan s_redraw = TimeSpan.FromSeconds(10);
    private readonly ConcurrentDictionary<string, (int Recorded, DateTimeOffset At, string Html)> _drawn = new();

    /// <summary>The plots' HTML, and whether it changed since the last call for this sweep and filter.</summary>
    public (string Html, bool Changed) Get(string sweepId, SweepFilter filter, SweepView view)
    {
        var key = sweepId + filter.Query();
        var now = time.GetUtcNow();
        if (_drawn.TryGetValue(key, out var drawn) && (drawn.Recorded == view.Records.Count || now - drawn.At < s_redraw))
        {
            return (drawn.Html, false);
        }

        var html = Draw(view.Records.Where(filter.Matches).ToList());
        _drawn[key] = (view.Records.Count, now, html);
        return (html, true);
    }

    private static string Draw(IReadOnlyList<ExperimentRecord> records)
    {
        var passed = records.Where(r => r.Passed() && r.Runs.Count > 0).ToList();
        if (passed.Count == 0)
        {
            return "<p>No correct experiment with timed runs yet.</p>";
        }

        var folder = Directory.CreateTempSubdirectory("kernelsmith-dashboard-plots-").FullName;
        try
        {
            var plots = new Plots(folder);
            var figures = new List<string>();
            foreach (var code in passed.GroupBy(r => (r.Kernel, r.Technology)).OrderBy(g => g.Key.Kernel, StringComparer.Ordinal).ThenBy(g => g.Key.Technology, StringComparer.Ordinal))
            {
                var (kernel, technology) = code.Key;
                var series = code.GroupBy(r => r.ModelLabel()).OrderBy(g => g.Key, StringComparer.Ordinal).Select(model =>
                {
                    var points = model.SelectMany(r => r.Runs).GroupBy(m => m.Count(technology)).OrderBy(g => g.Key).Select(g => SpeedupPoint.Of(g.Key, [.. g])).ToList();
                    return new PlotSeries(model.Key, [.. points.Select(p => (double)p.Count)], [.. points.Select(p => p.Speedup)])
                    {
                        Intervals = points.All(p => p.Interval is not null) ? [.. points.Select(p => p.Interval!.Value)] : null,
                        Notes = [.. points.Select(p => p.Noisy ? "noisy" : p.Superlinear ? "superlinear" : null)],
                    };
                }).ToList();
                var counts = series.SelectMany(s => s.X).Distinct().Order().ToList();
                series.Add(new PlotSeries("ideal (linear)", counts, counts, Reference: true));
                var title = $"{kernel} / {technology}: speedup";
                var plot = plots.Lines($"speedup-{figures.Count}", title, RecordFacts.CountName(technology), "speedup", series);
                // As in report.html: the SVG inline as a data URI, so the page fetches nothing for it.
                var data = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(plot.Svg));
                figures.Add($"<figure><img src=\"data:image/svg+xml;base64,{data}\" alt=\"{E(title)}, one line per model: {E(string.Join(", ", series.Where(s => !s.Reference).Select(s => s.Label)))}\"><figcaption>{E(title)}</figcaption></figure>");
            }

            return string.Concat(figures);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
