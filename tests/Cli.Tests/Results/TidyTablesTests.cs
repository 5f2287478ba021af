using System.Text.RegularExpressions;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Results;
using Kernelsmith.Results.Reports;
using Kernelsmith.Results.Tables;

namespace Kernelsmith.Cli.Tests.Results;

/// <summary>
/// Issue 18, item 2: the tidy tables as a researcher reads them, in DuckDB with no options. Their columns and types are
/// the ones docs/results.md documents, in CSV and Parquet alike, and a join on <c>experiment</c> gives what the records say.
/// </summary>
public sealed partial class TidyTablesTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kernelsmith-tables-").FullName;

    private static readonly IReadOnlyList<ExperimentRecord> Records =
    [
        Timed("s/gemm/openmp/gpt/plain/0", Verdict.Correct, [(1.0, [1.0, 1.02, 0.98]), (2.0, [0.5, 0.52, 0.49])]) with
        {
            Provenance = ResultsDirectoryTests.Sample().Provenance with
            {
                Simulated = false, Provider = "openai",
                ModelParameters = new Dictionary<string, string> { ["model"] = "gpt-4o", ["temperature"] = "0.2", ["max_tokens"] = "4096" },
            },
            Jobs =
            [
                new JobSpan("b1", "build", "agent-1", false, [0, 1], 1000, 1010, 1500),
                new JobSpan("m1", "measure", "agent-1", true, [0, 1], 1500, 1700, 4000),
            ],
        },
        Timed("s/gemm/openmp/identity/plain/0", Verdict.NotParallel, [(1.0, [1.0, 1.0])]) with { Parallel = false, Speedup = null },
        ResultsDirectoryTests.Sample("s/gemm/openmp/broken/plain/0", Verdict.BuildError) with { Runs = [], Speedup = null, BestThreads = null },
    ];

    public async Task InitializeAsync()
    {
        var results = new ResultsDirectory(_folder);
        foreach (var record in Records)
        {
            results.Append(record);
        }

        await SweepReport.WriteAsync(results, results.ReadRecords(), CancellationToken.None);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("experiments")]
    [InlineData("runs")]
    [InlineData("findings")]
    [InlineData("jobs")]
    public void Table_CsvAndParquet_HaveTheDocumentedColumnsAndTypes(string table)
    {
        var documented = Documented(table);
        var parquet = DuckDb.Schema(File(table, "parquet"));
        var csv = DuckDb.Schema(File(table, "csv"));

        Assert.Equal(documented.Select(c => c.Name), parquet.Keys);
        Assert.Equal(documented.Select(c => c.Name), csv.Keys);
        Assert.All(documented, c => Assert.True(DuckType(c.Type) == parquet[c.Name], $"{table}.{c.Name}: documented {c.Type}, Parquet has {parquet[c.Name]}"));
    }

    [Fact]
    public void Tables_OneRowPerExperimentPairFindingAndJob()
    {
        long Count(string table, string format) => (long)DuckDb.Query($"SELECT count(*) AS n FROM '{File(table, format)}'")[0]["n"]!;

        foreach (var format in new[] { "csv", "parquet" })
        {
            Assert.Equal(Records.Count, Count("experiments", format));
            Assert.Equal(3 + 3 + 2, Count("runs", format));
            Assert.Equal(Records.Sum(r => r.Taxonomy.Count), Count("findings", format));
            Assert.Equal(2, Count("jobs", format));
        }
    }

    [Fact]
    public void Join_RunsOfCorrectExperiments_GiveThePairSpeedupsPerModelAndCount()
    {
        var rows = DuckDb.Query($"""
            SELECT e.model_id, e.requested_model, e.temperature, r.count, min(r.pair_speedup) AS low, max(r.pair_speedup) AS high, count(*) AS pairs
            FROM '{File("runs", "parquet")}' r JOIN '{File("experiments", "parquet")}' e USING (experiment)
            WHERE e.verdict = 'correct' GROUP BY ALL ORDER BY r.count
            """);

        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(("gpt", "gpt-4o", 0.2, 3L), ((string)r["model_id"]!, (string)r["requested_model"]!, (double)r["temperature"]!, (long)r["pairs"]!)));
        Assert.Equal(1.0 / 1.02, (double)rows[0]["low"]!, 6);
        Assert.Equal(1.0 / 0.49, (double)rows[1]["high"]!, 6);
        var job = DuckDb.Query($"SELECT wait_ms, run_ms, core_count FROM '{File("jobs", "csv")}' WHERE kind = 'measure'").Single();
        Assert.Equal((200L, 2300L, 2L), (Convert.ToInt64(job["wait_ms"]), Convert.ToInt64(job["run_ms"]), Convert.ToInt64(job["core_count"])));
    }

    private string File(string table, string format) => Path.Combine(_folder, TidyTables.Folder, $"{table}.{format}");

    /// <summary>The rows of the table's section in docs/results.md: each column and its documented type.</summary>
    private static List<(string Name, string Type)> Documented(string table)
    {
        var doc = System.IO.File.ReadAllText(Path.Combine(Repository.Root, "docs", "results.md"));
        var start = doc.IndexOf($"### `tables/{table}`", StringComparison.Ordinal);
        Assert.True(start >= 0, $"docs/results.md documents no tables/{table}");
        var end = doc.IndexOf("\n#", start + 4, StringComparison.Ordinal);
        return [.. ColumnRow().Matches(doc[start..(end < 0 ? doc.Length : end)]).Select(m => (m.Groups["name"].Value, m.Groups["type"].Value))];
    }

    private static string DuckType(string documented) => documented.TrimEnd('?') switch
    {
        "string" => "VARCHAR",
        "int" => "INTEGER",
        "long" => "BIGINT",
        "double" => "DOUBLE",
        "bool" => "BOOLEAN",
        var other => throw new Xunit.Sdk.XunitException($"undocumented type '{other}'"),
    };

    private static ExperimentRecord Timed(string id, Verdict verdict, (double Threads, double[] Seconds)[] configurations) =>
        ResultsDirectoryTests.Sample(id, verdict) with
        {
            Runs = [.. configurations.Select(c =>
            {
                var sequential = c.Seconds.Select(_ => 1.0).ToList();
                var speedups = c.Seconds.Select(s => 1.0 / s).Order().ToList();
                var median = speedups[speedups.Count / 2];
                return new RunMeasurement((int)c.Threads, 1, c.Seconds.Order().ElementAt(c.Seconds.Length / 2), c.Seconds.Length, c.Seconds, median)
                {
                    Timing = new PairedTiming(median, [speedups[0], speedups[^1]], c.Seconds.Length, 0.02, false, "precision", c.Seconds.Order().ElementAt(c.Seconds.Length / 2),
                        c.Seconds.Sum(), 1.0, median, null, null, c.Seconds, sequential, c.Seconds),
                };
            })],
            Speedup = verdict == Verdict.Correct ? configurations.Max(c => 1.0 / c.Seconds.Order().ElementAt(c.Seconds.Length / 2)) : null,
        };

    [GeneratedRegex(@"^\| `(?<name>[a-z_]+)` \| (?<type>[a-z]+\??) \|", RegexOptions.Multiline)]
    private static partial Regex ColumnRow();
}
