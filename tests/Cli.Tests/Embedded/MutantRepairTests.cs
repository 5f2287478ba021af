using Kernelsmith.Cli.Commands;
using Kernelsmith.Cli.Results;
using Kernelsmith.Contracts.Experiments;

namespace Kernelsmith.Cli.Tests.Embedded;

public sealed class MutantSweepFixture : IAsyncLifetime
{
    public string Output { get; } = Path.Combine(Path.GetTempPath(), "kernelsmith-tests", "mutants-" + Guid.NewGuid().ToString("n")[..8]);

    public IReadOnlyList<ExperimentRecord> Records { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await RunCommand.RunAsync(new FileInfo(Repository.TestData("mutants.yaml")), new DirectoryInfo(Output), [Repository.Kernels], CancellationToken.None);
        Records = new ResultsDirectory(Output).ReadRecords();
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary><c>sim mutant</c> round trips: each fault is injected, caught, named in the feedback, and repaired.</summary>
public sealed class MutantRepairTests(MutantSweepFixture sweep) : IClassFixture<MutantSweepFixture>
{
    [Theory]
    [InlineData("gemm", "missing_header", Verdict.BuildError, "printf", "missing_header")]
    [InlineData("heat2d", "undeclared_identifier", Verdict.BuildError, "work_items", "undeclared_identifier")]
    [InlineData("gemm", "int_from_pointer", Verdict.BuildError, "int-conversion", "int_from_pointer")]
    [InlineData("heat2d", "missing_single", Verdict.WrongOutput, "differs from the sequential", "wrong_output")]
    public void Run_Mutant_FaultIsCaughtNamedAndRepaired(string kernel, string fault, Verdict caughtAs, string named, string category)
    {
        var record = Assert.Single(sweep.Records, r => r.Kernel == kernel && r.Model.StartsWith($"m-{fault} ", StringComparison.Ordinal));
        var folder = Path.Combine(sweep.Output, ResultsDirectory.AttemptsFolder(record));

        Assert.Equal(Verdict.Correct, record.Verdict);
        Assert.Equal(2, record.Rounds);
        var firstRound = File.ReadAllText(Path.Combine(folder, "round-0", "verdict.txt"));
        Assert.StartsWith(caughtAs.ToWireName(), firstRound, StringComparison.Ordinal);
        Assert.Contains(named, firstRound, StringComparison.Ordinal);
        Assert.Contains(named, File.ReadAllText(Path.Combine(folder, "round-1", "prompt.md")), StringComparison.Ordinal);
        Assert.StartsWith("correct", File.ReadAllText(Path.Combine(folder, "round-1", "verdict.txt")), StringComparison.Ordinal);
        Assert.Contains(record.Taxonomy, t => t.Category == category);
    }

    [Fact]
    public void Run_Mutant_EveryExperimentRecordedOnce() =>
        Assert.Equal(8, sweep.Records.Select(r => r.Experiment).Distinct().Count());
}
