using Kernelsmith.Contracts.Experiments;

namespace Kernelsmith.Results.Tables;

/// <summary>
/// The tidy tables of a results directory, each as <c>tables/NAME.csv</c> and <c>tables/NAME.parquet</c>: one row per
/// experiment, per timed pair, per finding and per job, joined on <c>experiment</c> (docs/results.md).
/// </summary>
public static class TidyTables
{
    public const string Folder = "tables";

    public static readonly IReadOnlyList<string> Names = ["experiments", "runs", "findings", "jobs"];

    public static async Task WriteAsync(string resultsPath, IReadOnlyList<ExperimentRecord> records, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(resultsPath, Folder);
        Directory.CreateDirectory(folder);
        await WriteAsync(folder, "experiments", records.Select(ExperimentRow.From), cancellationToken);
        await WriteAsync(folder, "runs", records.SelectMany(RunRow.From), cancellationToken);
        await WriteAsync(folder, "findings", records.SelectMany(FindingRow.From), cancellationToken);
        await WriteAsync(folder, "jobs", records.SelectMany(JobRow.From), cancellationToken);
    }

    private static async Task WriteAsync<T>(string folder, string name, IEnumerable<T> rows, CancellationToken cancellationToken)
        where T : new()
    {
        var list = rows.ToList();
        TableFiles.WriteCsv(Path.Combine(folder, name + ".csv"), list);
        await TableFiles.WriteParquetAsync(Path.Combine(folder, name + ".parquet"), list, cancellationToken);
    }
}
