using Kernelsmith.Cli.Commands;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Results;

namespace Kernelsmith.Cli.Tests.Embedded;

/// <summary>
/// Three sweeps, one after the other: OpenMP faults on catalog kernels, MPI faults at two ranks, and the faults of a
/// C89 test kernel (squares89, built with -std=gnu89 as the study's compilers built C) with ThreadSanitizer on.
/// </summary>
public sealed class MutantSweepFixture : IAsyncLifetime
{
    private static readonly string[] s_sweeps = ["mutants.yaml", "mutants-mpi.yaml", "mutants-c89.yaml"];

    public string Output { get; } = Path.Combine(Path.GetTempPath(), "kernelsmith-tests", "mutants-" + Guid.NewGuid().ToString("n")[..8]);

    public IReadOnlyList<(ExperimentRecord Record, string Folder)> Records { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var records = new List<(ExperimentRecord, string)>();
        foreach (var sweep in s_sweeps)
        {
            var output = Path.Combine(Output, Path.GetFileNameWithoutExtension(sweep));
            await RunCommand.RunAsync(new FileInfo(Repository.TestData(sweep)), new DirectoryInfo(output), [Repository.Kernels, Repository.TestData("kernels")], CancellationToken.None);
            records.AddRange(new ResultsDirectory(output).ReadRecords().Select(r => (r, Path.Combine(output, ResultsDirectory.AttemptsFolder(r)))));
        }

        Records = records;
    }

    public Task DisposeAsync() => Task.CompletedTask;
}

/// <summary>
/// <c>sim mutant</c> round trips with real gcc, clang's ThreadSanitizer and Open MPI: each fault is injected, caught
/// by the build, the run or the verification, named in the feedback, and repaired in the next round. The CUDA faults
/// cannot be built or run here (no nvcc, no GPU): Grains.Tests' MutantModelTests covers what can be checked of them.
/// </summary>
public sealed class MutantRepairTests(MutantSweepFixture sweep) : IClassFixture<MutantSweepFixture>
{
    [Theory]
    [InlineData("gemm", "missing_header", Verdict.BuildError, "printf", "missing_header")]
    [InlineData("heat2d", "undeclared_identifier", Verdict.BuildError, "work_items", "undeclared_identifier")]
    [InlineData("gemm", "int_from_pointer", Verdict.BuildError, "int-conversion", "int_from_pointer")]
    [InlineData("heat2d", "missing_single", Verdict.WrongOutput, "differs from the sequential", "wrong_output")]
    [InlineData("squares89", "c99_loop_declaration", Verdict.BuildError, "'for' loop initial declarations are only allowed in C99 or C11 mode", "c99_loop_declaration")]
    [InlineData("heat2d", "wrong_mpi_rank", Verdict.RuntimeError, "Segmentation fault", "segmentation_fault")]
    [InlineData("heat2d", "wrong_mpi_count", Verdict.WrongOutput, "differs from the sequential", "wrong_output")]
    [InlineData("heat2d", "unmatched_send_recv", Verdict.Timeout, "deadlock", "mpi_deadlock_or_hang")]
    public void Run_Mutant_FaultIsCaughtNamedAndRepaired(string kernel, string fault, Verdict caughtAs, string named, string category)
    {
        var (record, folder) = Single(kernel, fault);

        AssertRepaired(record, folder);
        var firstRound = File.ReadAllText(Path.Combine(folder, "round-0", "verdict.txt"));
        Assert.StartsWith(caughtAs.ToWireName(), firstRound, StringComparison.Ordinal);
        Assert.Contains(named, firstRound, StringComparison.Ordinal);
        Assert.Contains(named, File.ReadAllText(Path.Combine(folder, "round-1", "prompt.md")), StringComparison.Ordinal);
        Assert.Equal(category, record.Taxonomy.First().Category);
    }

    /// <summary>
    /// The race on the unreduced accumulator changes the sum only when both threads overlap, which a loaded 2-core
    /// machine often does not do: the round is caught by the comparison when it did, and by ThreadSanitizer otherwise.
    /// </summary>
    [Fact]
    public void Run_MissingReduction_CaughtAsWrongOutputOrDataRaceAndRepaired()
    {
        var (record, folder) = Single("squares89", "missing_reduction");
        var firstRound = File.ReadAllText(Path.Combine(folder, "round-0", "verdict.txt"));
        var caught = record.Taxonomy.First(t => t.Category != "not_parallel");

        AssertRepaired(record, folder);
        if (firstRound.StartsWith("wrong_output", StringComparison.Ordinal))
        {
            Assert.Equal("wrong_output", caught.Category);
            Assert.Contains("differs from the sequential", firstRound, StringComparison.Ordinal);
        }
        else
        {
            Assert.StartsWith("runtime_error", firstRound, StringComparison.Ordinal);
            Assert.Equal(("sanitize", "data_race"), (caught.Stage, caught.Category));
            Assert.Contains("ThreadSanitizer: data race", firstRound, StringComparison.Ordinal);
        }
    }

    /// <summary>A mutant's wrong answer is subtly wrong, as the study's were: the program runs and prints every line, one number is off.</summary>
    [Fact]
    public void Run_WrongMpiCount_PrintsAPlausibleButWrongTotal()
    {
        var (_, folder) = Single("heat2d", "wrong_mpi_count");
        var firstRound = File.ReadAllText(Path.Combine(folder, "round-0", "verdict.txt"));

        Assert.Contains("total", firstRound, StringComparison.Ordinal);
        Assert.DoesNotContain("centre", firstRound, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Mutant_EveryExperimentRecordedOnce() =>
        Assert.Equal(13, sweep.Records.Select(r => r.Record.Experiment).Distinct().Count());

    private (ExperimentRecord Record, string Folder) Single(string kernel, string fault) =>
        Assert.Single(sweep.Records, r => r.Record.Kernel == kernel && r.Record.Model.StartsWith($"m-{fault} ", StringComparison.Ordinal));

    private static void AssertRepaired(ExperimentRecord record, string folder)
    {
        Assert.Equal(Verdict.Correct, record.Verdict);
        Assert.Equal(2, record.Rounds);
        Assert.StartsWith("correct", File.ReadAllText(Path.Combine(folder, "round-1", "verdict.txt")), StringComparison.Ordinal);
    }
}
