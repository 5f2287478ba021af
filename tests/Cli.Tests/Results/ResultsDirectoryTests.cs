using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Results;

namespace Kernelsmith.Cli.Tests.Results;

public sealed class ResultsDirectoryTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("kernelsmith-results-").FullName;

    public static ExperimentRecord Sample(string experiment = "s/gemm/openmp/m/plain/0", Verdict verdict = Verdict.Correct) => new(
        experiment, "s", "gemm", "m (simulated: sim expert)", "openmp", "plain", 0, verdict, verdict == Verdict.Correct ? "" : "why, with, commas",
        1, 0.5, [new RunMeasurement(1, 1, 0.5, 3, [0.5, 0.51, 0.49], 1.0), new RunMeasurement(2, 1, 0.25, 3, [0.25, 0.26, 0.24], 2.0)],
        2.0, 2, [new ErrorFinding("build", "build_error", "x.c:1: error: 'n' undeclared")], new TokenUsage(10, 20),
        "0123456789abcdef0123456789abcdef",
        new Provenance(true, "sim", new Dictionary<string, string> { ["behaviour"] = "expert" }, "ph", "kh", "tiny", "agent-1", "gcc 12", "cpu"),
        [new Attempt(0, "prompt text", "answer text", [new CodeFile("main.c", "int main(){}")], "build log", "run log", verdict, "feedback")]);

    [Fact]
    public void Append_ThenRead_RoundTripsTheRecordFields()
    {
        var results = new ResultsDirectory(_root);
        var record = Sample();

        results.Append(record);
        var read = Assert.Single(results.ReadRecords());

        Assert.Equal(record.Experiment, read.Experiment);
        Assert.Equal(record.Verdict, read.Verdict);
        Assert.Equal(record.Speedup, read.Speedup);
        Assert.Equal(record.Runs.Select(r => r.AllSeconds.ToArray()), read.Runs.Select(r => r.AllSeconds.ToArray()));
        Assert.Equal(record.Taxonomy, read.Taxonomy);
        Assert.Equal(record.Tokens, read.Tokens);
        Assert.Equal(record.TraceId, read.TraceId);
        Assert.Equal(record.Provenance.ModelParameters, read.Provenance.ModelParameters);
    }

    [Fact]
    public async Task ReadAndAppend_LastRecordCutOffByAKill_SkipItAndAppendCleanly()
    {
        var results = new ResultsDirectory(_root);
        results.Append(Sample("s/a"));
        results.Append(Sample("s/b"));
        var file = Path.Combine(_root, ResultsDirectory.JsonLines);
        var whole = await File.ReadAllTextAsync(file);
        await File.AppendAllTextAsync(file, whole[..(whole.Length / 3)]);
        var error = new StringWriter();
        var stderr = Console.Error;
        Console.SetError(error);
        IReadOnlyList<ExperimentRecord> cut;
        try
        {
            cut = results.ReadRecords();
        }
        finally
        {
            Console.SetError(stderr);
        }

        results.Append(Sample("s/c"));

        Assert.Equal(["s/a", "s/b"], cut.Select(r => r.Experiment));
        Assert.Contains($"{file}:3: skipped an incomplete last record", error.ToString(), StringComparison.Ordinal);
        Assert.Equal(["s/a", "s/b", "s/c"], results.ReadRecords().Select(r => r.Experiment));
    }

    [Fact]
    public async Task ReportCommand_TruncatedLastLine_WritesTheReportWithAWarning()
    {
        var results = new ResultsDirectory(_root);
        results.Append(Sample("s/a"));
        await File.AppendAllTextAsync(Path.Combine(_root, ResultsDirectory.JsonLines), "{\"experiment\":\"s/b\",\"verd");

        var (exit, stdout, stderr) = await CommandLineTests.KernelsmithAsync("report", _root);

        Assert.True(exit == 0, stdout + stderr);
        Assert.Contains("results.jsonl:2: skipped an incomplete last record", stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_root, "report.md")));
    }

    [Fact]
    public void Append_WritesWireNamesAndAttempts()
    {
        var results = new ResultsDirectory(_root);

        results.Append(Sample(verdict: Verdict.WrongOutput));

        var line = File.ReadAllText(Path.Combine(_root, ResultsDirectory.JsonLines));
        Assert.Contains("\"verdict\":\"wrong_output\"", line, StringComparison.Ordinal);
        Assert.Contains("\"trace_id\":\"0123456789abcdef0123456789abcdef\"", line, StringComparison.Ordinal);
        Assert.DoesNotContain("answer text", line, StringComparison.Ordinal);
        var attempt = Path.Combine(_root, "experiments", "gemm", "openmp", "m", "plain", "0", "round-0");
        Assert.Equal("answer text", File.ReadAllText(Path.Combine(attempt, "answer.md")));
        Assert.Equal("int main(){}", File.ReadAllText(Path.Combine(attempt, "files", "main.c")));
    }

    [Fact]
    public void Read_RecordWrittenBeforeNotParallelWasAVerdict_ReadsAsNotParallelWithoutASpeedup()
    {
        var results = new ResultsDirectory(_root);
        results.Append(Sample() with { Parallel = false, Taxonomy = [new ErrorFinding("verify", "not_parallel", "no OpenMP directive")] });

        var read = Assert.Single(results.ReadRecords());

        Assert.Equal(Verdict.NotParallel, read.Verdict);
        Assert.Equal("not parallel: no OpenMP directive", read.Reason);
        Assert.Null(read.Speedup);
        Assert.True(read.OutputCorrect);
    }

    [Fact]
    public void WriteCsv_QuotesCellsAndKeepsTheFirstColumnsInPlace()
    {
        var results = new ResultsDirectory(_root);

        results.WriteCsv([Sample(verdict: Verdict.BuildError)]);

        var lines = File.ReadAllLines(Path.Combine(_root, ResultsDirectory.Csv));
        // Columns are only ever added at the end: readers of the first results files keep working.
        Assert.StartsWith("experiment,sweep,kernel,model,technology,prompt,sample,verdict,reason,rounds,sequential_seconds,speedup,best_threads,runs,taxonomy,tokens_input,tokens_output,simulated,trace_id,attempts,", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"why, with, commas\"", lines[1], StringComparison.Ordinal);
        Assert.Contains(",build_error,", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Append_UnwritableDirectory_Throws()
    {
        var results = new ResultsDirectory(_root);
        Directory.CreateDirectory(Path.Combine(_root, ResultsDirectory.JsonLines));

        var error = Record.Exception(() => results.Append(Sample()));

        Assert.True(error is IOException or UnauthorizedAccessException, $"expected an I/O error, got {error}");
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);
}
