using Kernelsmith.Cli.Commands;
using Kernelsmith.Results;
using Kernelsmith.Results.Reports;

namespace Kernelsmith.Cli.Tests.Results;

/// <summary>
/// Issue 18, item 1: a program whose output is right but that runs nothing in parallel (sim identity returns the
/// sequential code) has its own verdict in every file a researcher reads, so <c>WHERE verdict = 'correct'</c> never
/// counts it as a port; whether its output was right stays in a column of its own.
/// </summary>
public sealed class NotParallelResultsTests
{
    [Fact]
    public async Task Run_IdentityBesideExpert_CorrectInCsvAndParquetNeverHoldsANonParallelProgram()
    {
        var output = Directory.CreateTempSubdirectory("kernelsmith-not-parallel-").FullName;

        var exit = await RunCommand.RunAsync(new FileInfo(Repository.TestData("not-parallel.yaml")), new DirectoryInfo(output), [Repository.Kernels], CancellationToken.None);

        Assert.Equal(0, exit);
        foreach (var table in new[] { ResultsDirectory.Csv, ResultsDirectory.Parquet })
        {
            var file = Path.Combine(output, table);
            var correct = DuckDb.Query($"SELECT model, parallel FROM '{file}' WHERE verdict = 'correct'");
            var expert = Assert.Single(correct);
            Assert.StartsWith("expert", (string)expert["model"]!, StringComparison.Ordinal);
            Assert.Equal(true, expert["parallel"]);

            var identity = Assert.Single(DuckDb.Query($"SELECT verdict, parallel, output_correct, speedup, reason, runs FROM '{file}' WHERE model LIKE 'identity%'"));
            Assert.Equal("not_parallel", identity["verdict"]);
            Assert.Equal(false, identity["parallel"]);
            Assert.Equal(true, identity["output_correct"]);
            Assert.Null(identity["speedup"]);
            Assert.StartsWith("not parallel", (string)identity["reason"]!, StringComparison.Ordinal);
        }

        var report = await File.ReadAllTextAsync(Path.Combine(output, SweepReport.Markdown));
        Assert.Contains("0/1 correct; 1 not_parallel", report, StringComparison.Ordinal);
        var record = Assert.Single(new ResultsDirectory(output).ReadRecords(), r => r.Model.StartsWith("identity", StringComparison.Ordinal));
        var verdictFile = Path.Combine(output, ResultsDirectory.AttemptsFolder(record), "round-0", "verdict.txt");
        Assert.StartsWith("not_parallel\n", await File.ReadAllTextAsync(verdictFile), StringComparison.Ordinal);
        Assert.Contains("\"verdict\":\"not_parallel\"", await File.ReadAllTextAsync(Path.Combine(output, ResultsDirectory.JsonLines)), StringComparison.Ordinal);
    }
}
