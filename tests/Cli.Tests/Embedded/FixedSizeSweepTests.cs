using Kernelsmith.Cli.Commands;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Results;

namespace Kernelsmith.Cli.Tests.Embedded;

/// <summary>
/// One embedded sweep (real gcc, gRPC, Orleans, sandbox) of a kernel whose sizes are fixed in its source
/// (TestData/kernels/fixedsize): its run input sets N with <c>defines</c> and STEPS with <c>substitute</c>, its amplified
/// input sets only N. Three replayed answers (replay/fixedsize): a parallel program, the run input's output typed in,
/// and one that made STEPS a constant.
/// </summary>
public sealed class FixedSizeSweepFixture : IAsyncLifetime
{
    public IReadOnlyList<ExperimentRecord> Records { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var output = Path.Combine(Path.GetTempPath(), "kernelsmith-tests", "fixedsize-" + Guid.NewGuid().ToString("n")[..8]);
        await RunCommand.RunAsync(new FileInfo(Repository.TestData("fixedsize.yaml")), new DirectoryInfo(output), [Repository.TestData("kernels")], CancellationToken.None);
        Records = new ResultsDirectory(output).ReadRecords();
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

public sealed class FixedSizeSweepTests(FixedSizeSweepFixture sweep) : IClassFixture<FixedSizeSweepFixture>
{
    /// <summary>The answer is built with the input's N and STEPS like the reference, on both inputs, and the record says what was set.</summary>
    [Fact]
    public void Sweep_InputSettingSizesInTheSource_BuildsReferenceAndAnswerAlike()
    {
        var record = Sample(0);

        Assert.True(record.Verdict == Verdict.Correct, $"{record.Verdict}: {record.Reason}");
        Assert.Equal("-DN=2000; fixed.c: '#define STEPS 10' -> '#define STEPS 3'", record.Provenance.InputBuild);
    }

    /// <summary>
    /// The run input's output for N 2000 and STEPS 3, typed in, passes the run input, so the reference was built with
    /// them too; the amplified input, built with N 7 and the source's STEPS, tells it apart.
    /// </summary>
    [Fact]
    public void Sweep_TypedInOutputOfTheSizedInput_MatchesThereAndFailsTheAmplifiedInput()
    {
        var record = Sample(1);

        Assert.Equal(Verdict.WrongOutput, record.Verdict);
        Assert.Contains("'odd'", record.Reason, StringComparison.Ordinal);
        Assert.NotEmpty(record.Configurations);
        Assert.All(record.Configurations, c => Assert.Equal(Verdict.Correct, c.Verdict));
    }

    /// <summary>An answer that no longer has the text the input replaces cannot be given its size: a build error that says which.</summary>
    [Fact]
    public void Sweep_AnswerWithoutTheReplacedText_IsABuildErrorNamingKernelInputAndFile()
    {
        var record = Sample(2);

        Assert.Equal(Verdict.BuildError, record.Verdict);
        Assert.Equal("kernel 'fixedsize', input 'tiny': the text '#define STEPS 10' that it replaces in fixed.c is not there", record.Reason);
    }

    private ExperimentRecord Sample(int sample) => Assert.Single(sweep.Records, r => r.Sample == sample);
}
