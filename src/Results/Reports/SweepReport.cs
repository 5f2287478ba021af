using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Results;
using Kernelsmith.Results.Tables;

namespace Kernelsmith.Results.Reports;

/// <summary>
/// The one way a report is written, at the end of a run and by <c>kernelsmith report DIR</c>: <c>results.csv</c>,
/// <c>results.parquet</c>, an <c>attempts.md</c> per experiment, <c>plots/</c>, <c>report.md</c> and <c>report.html</c>.
/// </summary>
public static class SweepReport
{
    public const string Markdown = "report.md";
    public const string Html = "report.html";

    public static async Task<ReportDocument> WriteAsync(ResultsDirectory results, IReadOnlyList<ExperimentRecord> records, CancellationToken cancellationToken)
    {
        results.WriteCsv(records);
        await results.WriteParquetAsync(records, cancellationToken);
        await TidyTables.WriteAsync(results.Path, records, cancellationToken);
        var links = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            if (AttemptsIndex.Write(results.Path, record) is { } link)
            {
                links[record.Experiment] = link;
            }
        }

        // Plots of an earlier report may name kernels this one no longer has: start from an empty folder.
        var plots = Path.Combine(results.Path, ReportPlot.Folder);
        if (Directory.Exists(plots))
        {
            Directory.Delete(plots, recursive: true);
        }

        var document = new ReportBuilder(records, new Plots(results.Path), links).Build();
        await File.WriteAllTextAsync(Path.Combine(results.Path, Markdown), MarkdownRenderer.Render(document), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(results.Path, Html), HtmlRenderer.Render(document), cancellationToken);
        return document;
    }
}
