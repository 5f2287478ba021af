using System.Text.Json;
using Kernelsmith.Results;
using Kernelsmith.Results.Reports;

namespace Kernelsmith.Cli.Tests.Reports;

/// <summary>The report and export commands as a user runs them: a separate process on a results directory.</summary>
public sealed class ReportCommandTests(ReportFixture fixture) : IClassFixture<ReportFixture>
{
    [Fact]
    public async Task Report_FolderWithoutResults_SaysSoInOneLine()
    {
        var empty = Directory.CreateTempSubdirectory("kernelsmith-empty-").FullName;

        var (exit, _, stderr) = await CommandLineTests.KernelsmithAsync("report", empty);

        Assert.Equal(2, exit);
        Assert.Equal($"error: {empty} holds no {ResultsDirectory.JsonLines}: not a results directory", stderr.Trim());
    }

    [Fact]
    public async Task ReportThenExport_ResultsDirectory_WriteTheReportAndTheDataset()
    {
        var copy = Directory.CreateTempSubdirectory("kernelsmith-report-cli-").FullName;
        File.Copy(Path.Combine(fixture.Folder, ResultsDirectory.JsonLines), Path.Combine(copy, ResultsDirectory.JsonLines));
        var dataset = Path.Combine(copy, "dataset");

        var report = await CommandLineTests.KernelsmithAsync("report", copy);
        var export = await CommandLineTests.KernelsmithAsync("export", copy, "--dataset", dataset, "--kernels", Repository.Kernels);

        Assert.Equal(0, report.Exit);
        Assert.Contains("# Kernelsmith report: sweep-1", File.ReadAllText(Path.Combine(copy, SweepReport.Markdown)), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(copy, SweepReport.Html)));
        Assert.True(File.Exists(Path.Combine(copy, ReportPlot.Folder, "verdicts.png")));
        Assert.Equal(0, export.Exit);
        Assert.Equal(ReportFixture.Records.Count - 1, File.ReadAllLines(Path.Combine(dataset, DatasetExport.Examples)).Length);
        Assert.Contains("preference pairs", export.Stdout, StringComparison.Ordinal);
        Directory.Delete(copy, recursive: true);
    }

    [Fact]
    public async Task ReportAndExport_Json_SayWhatWasWrittenWhere()
    {
        var copy = Directory.CreateTempSubdirectory("kernelsmith-report-json-").FullName;
        File.Copy(Path.Combine(fixture.Folder, ResultsDirectory.JsonLines), Path.Combine(copy, ResultsDirectory.JsonLines));
        var dataset = Path.Combine(copy, "dataset");

        var report = await CommandLineTests.KernelsmithAsync("report", copy, "--json");
        var export = await CommandLineTests.KernelsmithAsync("export", copy, "--dataset", dataset, "--kernels", Repository.Kernels, "--json");

        Assert.True(report.Exit == 0, report.Stderr);
        var written = JsonDocument.Parse(report.Stdout).RootElement;
        Assert.Equal(ReportFixture.Records.Count, written.GetProperty("experiments").GetInt32());
        Assert.True(File.Exists(written.GetProperty("html").GetString()));
        Assert.True(File.Exists(written.GetProperty("parquet").GetString()));
        Assert.True(export.Exit == 0, export.Stderr);
        var exported = JsonDocument.Parse(export.Stdout).RootElement;
        Assert.Equal(File.ReadAllLines(exported.GetProperty("examples_file").GetString()!).Length, exported.GetProperty("examples").GetInt32());
        Assert.Equal(File.ReadAllLines(exported.GetProperty("preferences_file").GetString()!).Length, exported.GetProperty("pairs").GetInt32());
        Directory.Delete(copy, recursive: true);
    }
}

public sealed class SweepReportTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kernelsmith-empty-report-").FullName;

    [Fact]
    public async Task WriteAsync_NoRecordYet_WritesAReportThatSaysSo()
    {
        await SweepReport.WriteAsync(new ResultsDirectory(_folder), [], CancellationToken.None);

        Assert.Contains("No experiment has been recorded yet.", File.ReadAllText(Path.Combine(_folder, SweepReport.Markdown)), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_folder, SweepReport.Html)));
        Assert.Single(File.ReadAllLines(Path.Combine(_folder, ResultsDirectory.Csv)));
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
