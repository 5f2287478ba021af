using System.Xml.Linq;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Results;
using Kernelsmith.Results.Reports;
using Parquet.Serialization;
using SkiaSharp;

namespace Kernelsmith.Cli.Tests.Reports;

/// <summary>The report written from the fixture results directory, read back as a user would read it.</summary>
public sealed class ReportTests(ReportFixture fixture) : IClassFixture<ReportFixture>
{
    private string Markdown => File.ReadAllText(Path.Combine(fixture.Folder, SweepReport.Markdown));

    [Fact]
    public void Report_CorrectnessTable_HoldsHandComputedFigures()
    {
        var row = Row("Correctness per model and technology", ReportFixture.Alpha, "openmp");

        // experiments, problems, built, correct, build@1, build@2, pass@1, pass@2 (see GroupMetricsTests for the working).
        Assert.Equal(["6", "2", "5", "3", "0.833", "1.000", "0.500", "0.833"], row[2..]);
    }

    [Fact]
    public void Report_PerformanceTable_HoldsHandComputedFigures()
    {
        var row = Row("Performance per model and technology", ReportFixture.Alpha, "openmp");

        // n, speedup_n@1, @2, efficiency_n@1 (0.3125), @2, speedup_max@1, @2, fast_1, fast_2, vs expert, compared
        Assert.Equal("4", row[2]);
        Assert.Equal(["1.25", "2.00"], row[3..5]);
        Assert.Equal("0.500", row[6]);
        Assert.Equal(["1.27", "2.03", "0.500", "0.333", "0.71", "3"], row[7..]);
    }

    [Fact]
    public void Report_TablesState_TheirConventions()
    {
        var markdown = Markdown;

        Assert.Contains("Incorrect samples count as speedup 0", markdown, StringComparison.Ordinal);
        Assert.Contains("1 - C(n-c, k) / C(n, k)", markdown, StringComparison.Ordinal);
        Assert.Contains("never counted against a model", markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_OutcomesAndErrorsPerCodeAndModel_CountEveryVerdictAndFinding()
    {
        var outcome = Row("Run outcomes per code and model", "gemm", "openmp");
        var errors = Row("Errors met per code and model", "gemm", "openmp");
        var columns = Header("Run outcomes per code and model");

        Assert.Equal("0/2 correct; 1 infra_error; 1 not_parallel; 1 wrong_output", outcome[columns.IndexOf(ReportFixture.Mutant)]);
        Assert.Equal("2/3 correct; 1 build_error", outcome[columns.IndexOf(ReportFixture.Alpha)]);
        Assert.Equal("build_error ×2; wrong_output ×1", errors[columns.IndexOf(ReportFixture.Alpha)]);
    }

    [Fact]
    public void Report_TimesPerCount_AreMediansOverCorrectSamples()
    {
        var row = Row("Times per thread/rank count", "gemm", "openmp", ReportFixture.Alpha);
        var header = Header("Times per thread/rank count");

        // Correct samples at 1 thread: 1/0.9 and 1/1.0 s, median 1.0556; at 4 threads both 1/3 s.
        Assert.Equal("2", row[header.IndexOf("correct samples")]);
        Assert.Equal("1.0000", row[header.IndexOf("sequential s")]);
        Assert.Equal("1.0556", row[header.IndexOf("1")]);
        Assert.Equal("0.3333", row[header.IndexOf("4")]);
    }

    [Fact]
    public void Report_RepairsTaxonomyAndSpending_HoldHandComputedFigures()
    {
        var repairs = Row("Repairs", ReportFixture.Mutant, "openmp");
        var repairHeader = Header("Repairs");
        var taxonomy = Row("Error taxonomy", "verify: wrong_output");
        var taxonomyHeader = Header("Error taxonomy");
        var spending = Row("Tokens and cost per correct solution", ReportFixture.Alpha, "openmp");

        Assert.Equal("1", repairs[repairHeader.IndexOf("after repair 2")]);
        Assert.Equal("0", repairs[repairHeader.IndexOf("after repair 1")]);
        Assert.Equal("16.7% (1)", taxonomy[taxonomyHeader.IndexOf($"{ReportFixture.Alpha} / openmp")]);
        Assert.Equal("40.0% (2)", taxonomy[taxonomyHeader.IndexOf($"{ReportFixture.Mutant} / openmp")]);
        Assert.Equal(["300", "0.0200"], spending[^2..]);
    }

    [Fact]
    public void Report_EveryExperimentRow_LinksToItsAttemptsAndCarriesItsTraceId()
    {
        var rows = Section("Experiments").Where(l => l.StartsWith("| ", StringComparison.Ordinal)).Skip(1).ToList();

        Assert.Equal(ReportFixture.Records.Count, rows.Count);
        foreach (var record in ReportFixture.Records)
        {
            var link = $"{ResultsDirectory.AttemptsFolder(record)}/{AttemptsIndex.FileName}";
            var row = Assert.Single(rows, r => r.Contains($"]({link})", StringComparison.Ordinal));
            Assert.Contains($"`{record.TraceId}`", row, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(fixture.Folder, link)), link);
        }
    }

    [Fact]
    public void Report_AttemptsOfARepairedExperiment_ShowTheCodeDiffBetweenRounds()
    {
        var repaired = ReportFixture.Records.First(r => r.Rounds == 3);

        var attempts = File.ReadAllText(Path.Combine(fixture.Folder, ResultsDirectory.AttemptsFolder(repaired), AttemptsIndex.FileName));

        Assert.Contains("## Round 2: correct", attempts, StringComparison.Ordinal);
        Assert.Contains("[answer](round-1/answer.md)", attempts, StringComparison.Ordinal);
        Assert.Contains("feedback after round 0", attempts, StringComparison.Ordinal);
        Assert.Contains("-  int x = 1;\n+  int x = 2;", attempts, StringComparison.Ordinal);
        Assert.Contains(repaired.TraceId, attempts, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_SimulatedModels_AreLabelledInTablesAndPlotLegends()
    {
        var markdown = Markdown;
        var legend = File.ReadAllText(Path.Combine(fixture.Folder, "plots", "speedup-gemm-openmp.svg"));

        Assert.Contains("Simulated models", markdown, StringComparison.Ordinal);
        Assert.Contains("| mutant (simulated: sim mutant) | openmp |", markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("| mutant | ", markdown, StringComparison.Ordinal);
        Assert.Contains("expert (simulated: sim expert)", legend, StringComparison.Ordinal);
        Assert.Contains("mutant (simulated: sim mutant)", File.ReadAllText(Path.Combine(fixture.Folder, "plots", "verdicts.svg")), StringComparison.Ordinal);
    }

    [Fact]
    public void Report_Plots_AreValidPngAndSvgImagesWithContent()
    {
        string[] expected =
        [
            "verdicts", "taxonomy", "time-gemm-openmp", "speedup-gemm-openmp", "efficiency-gemm-openmp",
            "time-heat2d-openmp", "speedup-heat2d-openmp", "efficiency-heat2d-openmp", "time-gemm-mpi", "speedup-gemm-mpi", "efficiency-gemm-mpi",
        ];
        var folder = Path.Combine(fixture.Folder, ReportPlot.Folder);

        Assert.Equal(expected.Order(), Directory.GetFiles(folder, "*.png").Select(Path.GetFileNameWithoutExtension).Order());
        foreach (var name in expected)
        {
            using var bitmap = SKBitmap.Decode(Path.Combine(folder, $"{name}.png"));
            Assert.NotNull(bitmap);
            Assert.True(bitmap.Width >= 400 && bitmap.Height >= 300, $"{name}.png is {bitmap.Width}x{bitmap.Height}");
            Assert.True(bitmap.Pixels.Select(p => (uint)p).Distinct().Count() > 10, $"{name}.png is blank");

            var svg = XDocument.Load(Path.Combine(folder, $"{name}.svg"));
            Assert.Equal(XName.Get("svg", "http://www.w3.org/2000/svg"), svg.Root!.Name);
            Assert.Contains(svg.Descendants(), e => e.Name.LocalName == "text");
        }
    }

    [Fact]
    public async Task Report_Html_OpensInHeadlessChromiumWithoutErrorsOrFetches()
    {
        var page = await HeadlessChromium.OpenAsync(Path.Combine(fixture.Folder, SweepReport.Html));

        Assert.Empty(page.Errors);
        Assert.Empty(page.ConsoleLines);
        Assert.Empty(page.Fetched);
        Assert.Equal(11, page.Images);
        Assert.Empty(page.Broken);
        Assert.Contains("<h2>Correctness per model and technology</h2>", page.Dom, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeadlessChromium_PageWithErrors_ReportsThem()
    {
        // The check above must be able to fail: the same probe on a page with a script error, an image that cannot
        // be decoded and an external fetch reports all three.
        var page = Path.Combine(fixture.Folder, "broken.html");
        await File.WriteAllTextAsync(page, "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>" +
            "<img src=\"data:image/png;base64,AAAA\"><img src=\"http://127.0.0.1:9/none.png\"><script>notDefined();</script></body></html>");

        var probe = await HeadlessChromium.OpenAsync(page);

        Assert.Contains(probe.Errors, e => e.Contains("notDefined", StringComparison.Ordinal));
        Assert.Equal(2, probe.Broken.Count);
        Assert.Contains(probe.Fetched, f => f.StartsWith("http://127.0.0.1:9/", StringComparison.Ordinal));
        Assert.Contains(probe.ConsoleLines, l => l.Contains("Uncaught", StringComparison.Ordinal));
    }

    [Fact]
    public void Html_IsSelfContained_PlotsInlineAndNoExternalReferences()
    {
        var html = File.ReadAllText(Path.Combine(fixture.Folder, SweepReport.Html));

        Assert.Equal(11, html.Split("src=\"data:image/svg+xml;base64,").Length - 1);
        Assert.DoesNotContain("src=\"http", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<link", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Results_CsvAndParquet_HoldOneRowPerExperimentInTheDocumentedColumns()
    {
        var csv = File.ReadAllLines(Path.Combine(fixture.Folder, ResultsDirectory.Csv));
        await using var stream = File.OpenRead(Path.Combine(fixture.Folder, ResultsDirectory.Parquet));
        var parquet = (await ParquetSerializer.DeserializeAsync<ResultRow>(stream)).Data;
        var documented = File.ReadAllText(Path.Combine(Repository.Root, "docs", "results.md"));

        Assert.Equal(string.Join(",", ResultRow.Columns), csv[0]);
        Assert.All(ResultRow.Columns, c => Assert.Contains($"| `{c}` |", documented, StringComparison.Ordinal));
        Assert.Equal(ReportFixture.Records.Count, csv.Length - 1);
        Assert.Equal(ReportFixture.Records.Select(r => r.Experiment), parquet.Select(r => r.Experiment));
        var notParallel = Assert.Single(parquet, r => r.Parallel == false);
        Assert.Equal("not_parallel", notParallel.Verdict);
        Assert.True(notParallel.OutputCorrect);
        Assert.Null(notParallel.Speedup);
        Assert.Equal(2.0, parquet.First(r => r.Technology == "mpi").ExpertSpeedup);
    }

    private List<string> Section(string title)
    {
        var lines = Markdown.Split('\n');
        var start = Array.IndexOf(lines, $"## {title}");
        Assert.True(start >= 0, $"no section '{title}'");
        return lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)).ToList();
    }

    private List<string> Header(string section) => Cells(Section(section).First(l => l.StartsWith("| ", StringComparison.Ordinal)));

    /// <summary>The first row of a section's table whose leading cells are the given ones.</summary>
    private List<string> Row(string section, params string[] leading)
    {
        var rows = Section(section).Where(l => l.StartsWith("| ", StringComparison.Ordinal)).Select(Cells);
        return rows.FirstOrDefault(cells => cells.Take(leading.Length).SequenceEqual(leading))
            ?? throw new Xunit.Sdk.XunitException($"no row {string.Join(" | ", leading)} in '{section}'");
    }

    private static List<string> Cells(string line) => line.Trim().Trim('|').Split(" | ").Select(c => c.Trim()).ToList();
}
