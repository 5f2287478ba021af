using Kernelsmith.Cli.Commands;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Results;
using Kernelsmith.Results.Reports;

namespace Kernelsmith.Cli.Tests.Embedded;

/// <summary>
/// One embedded sweep (real gcc, gRPC and Orleans) of recorded answers to a two-file C program with a header, brought
/// as an external kernel folder (TestData/kernels/heatfiles) and answered through <c>replay</c> (replay/multifile) of
/// answers declared as recorded from a real model.
/// </summary>
public sealed class MultiFileSweepFixture : IAsyncLifetime
{
    public string Output { get; } = Path.Combine(Path.GetTempPath(), "kernelsmith-tests", "multifile-" + Guid.NewGuid().ToString("n")[..8]);

    public IReadOnlyList<ExperimentRecord> Records { get; private set; } = [];

    public int ExitCode { get; private set; }

    public async Task InitializeAsync()
    {
        ExitCode = await RunCommand.RunAsync(new FileInfo(Repository.TestData("multifile.yaml")), new DirectoryInfo(Output), [Repository.TestData("kernels")], CancellationToken.None);
        Records = new ResultsDirectory(Output).ReadRecords();
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

public sealed class MultiFileAnswerTests(MultiFileSweepFixture sweep) : IClassFixture<MultiFileSweepFixture>
{
    /// <summary>Sample 0 gives only heat.c: the kernel's stencil.h is built with it, as it is.</summary>
    [Fact]
    public void Replay_AnswerChangingOnlyTheSource_IsBuiltWithTheKernelsHeader()
    {
        var record = Sample(0);

        Assert.Equal(Verdict.Correct, record.Verdict);
        Assert.Equal(["heat.c"], record.ChangedFiles);
        Assert.True(record.Parallel);
        Assert.Equal([(1, Verdict.Correct), (2, Verdict.Correct)], record.Configurations.Select(c => (c.Threads, c.Verdict)));
        Assert.Equal([1, 2], record.Runs.Select(r => r.Threads));
        var log = File.ReadAllText(Path.Combine(Round0(record), "extract.log"));
        Assert.Contains("heat.c: from the answer, replacing the kernel's", log, StringComparison.Ordinal);
        Assert.Contains("stencil.h: the kernel's, unchanged (the answer does not give it)", log, StringComparison.Ordinal);
        Assert.Contains("#ifndef STENCIL_H", File.ReadAllText(Path.Combine(Round0(record), "files", "stencil.h")), StringComparison.Ordinal);
    }

    /// <summary>
    /// Samples 1 and 2 give a header of an include guard, a macro and prototypes (no braces, no #include: once dropped
    /// as "not code", which made the answer a build error charged to the model), and a heat.c that uses the macro.
    /// </summary>
    [Theory]
    [InlineData(1, "512")]
    [InlineData(2, "256")]
    public void Replay_AnswerGivingBothFiles_BuildsItsOwnHeader(int sample, string chunk)
    {
        var record = Sample(sample);

        Assert.Equal(Verdict.Correct, record.Verdict);
        Assert.Equal(["stencil.h", "heat.c"], record.ChangedFiles);
        Assert.Contains($"#define RELAX_CHUNK {chunk}", File.ReadAllText(Path.Combine(Round0(record), "files", "stencil.h")), StringComparison.Ordinal);
        Assert.Contains("stencil.h: from the answer, replacing the kernel's", File.ReadAllText(Path.Combine(Round0(record), "extract.log")), StringComparison.Ordinal);
    }

    /// <summary>Sample 2 also shows the output it expects in a text block: not code, and the round's extract log says so.</summary>
    [Fact]
    public void Replay_BlockThatIsNotCode_IsReportedInTheExtractLog()
    {
        var log = File.ReadAllText(Path.Combine(Round0(Sample(2)), "extract.log"));

        Assert.Contains("blocks of the answer not taken:", log, StringComparison.Ordinal);
        Assert.Contains("block 3 (```text, 2 lines): labelled 'text', not C, C++ or CUDA", log, StringComparison.Ordinal);
    }

    /// <summary>
    /// Sample 3 prints a wrong total at one thread and never ends at two: both outcomes are kept, the verdict is the
    /// first (the hang does not hide the wrong output), and no configuration carries a speedup.
    /// </summary>
    [Fact]
    public void Replay_WrongAtOneThreadAndHangingAtTwo_KeepsBothOutcomesAndNoSpeedup()
    {
        var record = Sample(3);

        Assert.Equal(Verdict.WrongOutput, record.Verdict);
        Assert.StartsWith("at 1 thread(s)", record.Reason, StringComparison.Ordinal);
        Assert.Equal([(1, Verdict.WrongOutput), (2, Verdict.Timeout)], record.Configurations.Select(c => (c.Threads, c.Verdict)));
        Assert.Contains("total", record.Configurations[0].Reason, StringComparison.Ordinal);
        Assert.Contains("no result within 5 s", record.Configurations[1].Reason, StringComparison.Ordinal);
        Assert.Empty(record.Runs);
        Assert.Null(record.Speedup);
    }

    /// <summary>The replay model declares the model its answers were recorded from: replayed, never "simulated".</summary>
    [Fact]
    public void Replay_RecordedFromARealModel_IsLabelledReplayedWithThatModelsName()
    {
        var record = Sample(0);
        var report = File.ReadAllText(Path.Combine(sweep.Output, SweepReport.Markdown));

        Assert.Equal("chat (replayed: example-chat-model)", record.Model);
        Assert.False(record.Provenance.Simulated);
        Assert.Equal("example-chat-model", record.Provenance.ModelParameters["recorded_model"]);
        Assert.Equal("2026-12-05", record.Provenance.ModelParameters["recorded_date"]);
        Assert.Contains("chat (replayed: example-chat-model)", report, StringComparison.Ordinal);
        Assert.Contains("Replayed models", report, StringComparison.Ordinal);
        Assert.DoesNotContain("(simulated", report, StringComparison.Ordinal);
        Assert.DoesNotContain("measure the pipeline", report, StringComparison.Ordinal);
    }

    private ExperimentRecord Sample(int sample)
    {
        Assert.Equal(0, sweep.ExitCode);
        return Assert.Single(sweep.Records, r => r.Kernel == "heatfiles" && r.Sample == sample);
    }

    private string Round0(ExperimentRecord record) => Path.Combine(sweep.Output, ResultsDirectory.AttemptsFolder(record), "round-0");
}
