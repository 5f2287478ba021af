using DuckDB.NET.Data;

namespace Kernelsmith.Cli.Tests.Results;

/// <summary>
/// The results tables read as a researcher reads them: SQL over the files in an in-memory DuckDB, with no options
/// (<c>FROM 'results.csv'</c> sniffs the CSV's types, <c>FROM 'results.parquet'</c> reads the Parquet schema).
/// </summary>
public static class DuckDb
{
    /// <summary>Every row of the query's answer, each a column name to value map (DBNull read as null).</summary>
    public static IReadOnlyList<IReadOnlyDictionary<string, object?>> Query(string sql)
    {
        using var connection = new DuckDBConnection("Data Source=:memory:");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<IReadOnlyDictionary<string, object?>>();
        while (reader.Read())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The columns DuckDB sees in a file, with the types it gives them (<c>DESCRIBE</c>).</summary>
    public static IReadOnlyDictionary<string, string> Schema(string file) =>
        Query($"DESCRIBE SELECT * FROM '{file}'").ToDictionary(r => (string)r["column_name"]!, r => (string)r["column_type"]!, StringComparer.Ordinal);
}
