using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json.Serialization;
using Parquet.Serialization;

namespace Kernelsmith.Results;

/// <summary>
/// The columns of a table's row type: its public properties in declaration order, each named by its
/// <see cref="JsonPropertyNameAttribute"/>. Columns are only ever added at the end, so readers keep working.
/// </summary>
public static class TableColumns<T>
{
    public static IReadOnlyList<PropertyInfo> Properties { get; } =
        typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).OrderBy(p => p.MetadataToken).ToList();

    public static IReadOnlyList<string> Names { get; } =
        Properties.Select(p => p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name
            ?? throw new InvalidOperationException($"{typeof(T).Name}.{p.Name} has no column name")).ToList();

    /// <summary>A row's cells as CSV text: numbers round-trip, booleans are true/false, null is empty.</summary>
    public static IEnumerable<string> Cells(T row) => Properties.Select(p => p.GetValue(row) switch
    {
        null => "",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        var other => other.ToString() ?? "",
    });
}

/// <summary>The one way a results table is written: CSV (RFC 4180, a header of column names) and Parquet (typed), same rows and columns.</summary>
public static class TableFiles
{
    public static void WriteCsv<T>(string path, IEnumerable<T> rows)
    {
        var csv = new StringBuilder();
        csv.AppendLine(string.Join(",", TableColumns<T>.Names));
        foreach (var row in rows)
        {
            csv.AppendLine(string.Join(",", TableColumns<T>.Cells(row).Select(Quote)));
        }

        File.WriteAllText(path, csv.ToString());
    }

    public static async Task WriteParquetAsync<T>(string path, IEnumerable<T> rows, CancellationToken cancellationToken)
        where T : new()
    {
        await using var stream = File.Create(path);
        await ParquetSerializer.SerializeAsync(rows, stream, cancellationToken: cancellationToken);
    }

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;
}
