using Kernelsmith.Cli.Commands;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Results;
using Kernelsmith.Results.Reports;

namespace Kernelsmith.Cli.Tests.Embedded;

/// <summary>Runs one embedded sweep (real gcc, real gRPC, real Orleans) with expert answers and planted faults.</summary>
public sealed class PlantedSweepFixture : IAsyncLifetime
{
    public string Output { get; } = Path.Combine(Path.GetTempPath(), "kernelsmith-tests", "planted-" + Guid.NewGuid().ToString("n")[..8]);

    public IReadOnlyList<ExperimentRecord> Records { get; private set; } = [];

    public int ExitCode { get; private set; }

    public async Task InitializeAsync()
    {
        ExitCode = await RunCommand.RunAsync(new FileInfo(Repository.TestData("planted.yaml")), new DirectoryInfo(Output), [Repository.Kernels], CancellationToken.None);
        Records = new ResultsDirectory(Output).ReadRecords();
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

public sealed class PlantedSweepTests(PlantedSweepFixture sweep) : IClassFixture<PlantedSweepFixture>
{
    [Fact]
    public void Run_EveryExperiment_HasExactlyOneFinalRecord()
    {
        Assert.Equal(0, sweep.ExitCode);
        Assert.Equal(6, sweep.Records.Count);
        Assert.Equal(6, sweep.Records.Select(r => r.Experiment).Distinct().Count());
    }

    [Theory]
    [InlineData("gemm")]
    [InlineData("heat2d")]
    public void Run_SimExpert_IsCorrectWithMeasuredSpeedup(string kernel)
    {
        var record = Find(kernel, "expert");

        Assert.Equal(Verdict.Correct, record.Verdict);
        Assert.True(record.Provenance.Simulated);
        Assert.Contains("simulated", record.Model, StringComparison.Ordinal);
        Assert.Equal([1, 2], record.Runs.Select(r => r.Threads));
        Assert.All(record.Runs, r => Assert.True(r.Seconds > 0));
        Assert.True(record.SequentialSeconds > 0);
        Assert.NotNull(record.Speedup);
        Assert.Equal(32, record.TraceId.Length);
        Assert.Contains("gcc", record.Provenance.Toolchain, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_PlantedWrongAnswer_IsWrongOutput()
    {
        var record = Find("gemm", "wrong");

        Assert.Equal(Verdict.WrongOutput, record.Verdict);
        Assert.Null(record.Speedup);
        Assert.Contains("checksum", File.ReadAllText(Path.Combine(AttemptFolder(record), "verdict.txt")), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ProgramThatNeverEnds_IsTimeoutWithinTheLimit()
    {
        var record = Find("heat2d", "wrong");

        Assert.Equal(Verdict.Timeout, record.Verdict);
        Assert.Contains("3 s", record.Reason, StringComparison.Ordinal);
        // The program was stopped at its limit: each timed job that ran it ended seconds after it started, not never.
        var timed = record.Jobs.Where(j => j.Kind is "run" or "measure").ToList();
        Assert.NotEmpty(timed);
        Assert.All(timed, job => Assert.True(job.FinishedUnixMs - job.StartedUnixMs < 30_000, $"{job.Job} ran {job.FinishedUnixMs - job.StartedUnixMs} ms"));
    }

    [Fact]
    public void Run_ProgramThatDoesNotCompile_IsBuildErrorWithTheCompilersMessage()
    {
        var record = Find("gemm", "broken");

        Assert.Equal(Verdict.BuildError, record.Verdict);
        Assert.Contains("matrix_size", record.Reason, StringComparison.Ordinal);
        Assert.Contains("undeclared", File.ReadAllText(Path.Combine(AttemptFolder(record), "build.log")), StringComparison.Ordinal);
        var finding = Assert.Single(record.Taxonomy, t => t.Stage == "build");
        Assert.Equal("undeclared_identifier", finding.Category);
        Assert.Contains("matrix_size", finding.Message, StringComparison.Ordinal);
        // The planted program has no OpenMP directive either: flagged, whatever its verdict.
        Assert.Contains(record.Taxonomy, t => t.Category == "not_parallel");
        Assert.False(record.Parallel);
    }

    [Fact]
    public void Run_AnswerWithoutCode_IsNoCode()
    {
        var record = Find("heat2d", "broken");

        Assert.Equal(Verdict.NoCode, record.Verdict);
        Assert.Contains("no code block", record.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_WritesCsvReportAndAttempts()
    {
        var csv = File.ReadAllLines(Path.Combine(sweep.Output, ResultsDirectory.Csv));
        Assert.Equal(string.Join(",", ResultRow.Columns), csv[0]);
        Assert.Equal(7, csv.Length);

        var report = File.ReadAllText(Path.Combine(sweep.Output, SweepReport.Markdown));
        Assert.Contains("Simulated models", report, StringComparison.Ordinal);
        Assert.Contains("1 build_error", report, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(sweep.Output, SweepReport.Html)));
        Assert.Contains(Find("gemm", "expert").TraceId, report, StringComparison.Ordinal);

        var attempt = AttemptFolder(Find("gemm", "broken"));
        Assert.Contains("matrix_size", File.ReadAllText(Path.Combine(attempt, "build.log")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(attempt, "files", "main.c")));
    }

    private string AttemptFolder(ExperimentRecord record) => Path.Combine(sweep.Output, ResultsDirectory.AttemptsFolder(record), "round-0");

    private ExperimentRecord Find(string kernel, string model) =>
        Assert.Single(sweep.Records, r => r.Kernel == kernel && r.Model.StartsWith(model + " ", StringComparison.Ordinal) || r.Kernel == kernel && r.Model == model);
}
