using System.Text.RegularExpressions;
using Google.Protobuf;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Protos;
using Kernelsmith.Grains.Scheduling;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Verification;

namespace Kernelsmith.Grains.Tests.Verification;

/// <summary>
/// How findings are put together: order, deduplication, notes, caps, status findings. The corpus tests show that
/// real messages get the right category; these pin down the rules around them, on logs cut from real output.
/// </summary>
public sealed partial class ErrorTaxonomyTests
{
    private static readonly OutputComparison Exact = new(ComparisonModes.Exact, 0, 0, []);

    [Fact]
    public void ClassifyBuild_SeveralErrors_ReturnsEachDistinctOneInOrder()
    {
        const string log = """
            heat.c: In function 'step':
            heat.c:4:5: error: expected ',' or ';' before 'for'
                4 |     for (int i = 0; i < 4; i++) { total += i; }
                  |     ^~~
            heat.c:4:21: error: 'i' undeclared (first use in this function)
            heat.c:4:21: note: each undeclared identifier is reported only once for each function it appears in
            heat.c: In function 'main':
            heat.c:9:21: error: 'i' undeclared (first use in this function)
            heat.c:11:5: error: 'true' undeclared (first use in this function)
            heat.c:1:1: note: 'true' is defined in header '<stdbool.h>'; did you forget to '#include <stdbool.h>'?
            """;

        var findings = ErrorTaxonomy.ClassifyBuild(new JobOutcome(false, 1, 0, log));

        Assert.Equal([ErrorCategories.SyntaxError, ErrorCategories.UndeclaredIdentifier, ErrorCategories.MissingHeader], findings.Select(f => f.Category));
        Assert.All(findings, f => Assert.Equal(FindingStages.Build, f.Stage));
        Assert.StartsWith("heat.c:4:21: error: 'i' undeclared", findings[1].Message, StringComparison.Ordinal);
        Assert.Contains("note: 'true' is defined in header '<stdbool.h>'", findings[2].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassifyBuild_OnlyWarnings_HasNoFinding()
    {
        const string log = """
            gemm.c: In function 'main':
            gemm.c:3:24: warning: integer overflow in expression of type 'int' results in '-2147483648' [-Woverflow]
            gemm.c:4:19: warning: initialization of 'int' from 'int *' makes integer from pointer without a cast [-Wint-conversion]
            """;

        Assert.Empty(ErrorTaxonomy.ClassifyBuild(new JobOutcome(false, 0, 0, log)));
    }

    [Fact]
    public void ClassifyBuild_LinkerErrors_SkipTheDriversSummaryLines()
    {
        const string log = """
            /usr/bin/ld: /tmp/ccKIF92p.o: in function `main':
            link.c:(.text+0x49): undefined reference to `compute_energy'
            /usr/bin/ld: link.c:(.text+0x61): undefined reference to `compute_energy'
            collect2: error: ld returned 1 exit status
            """;

        var finding = Assert.Single(ErrorTaxonomy.ClassifyBuild(new JobOutcome(false, 1, 0, log)));

        Assert.Equal(ErrorCategories.LinkUndefinedReference, finding.Category);
        Assert.Equal("link.c:(.text+0x49): undefined reference to `compute_energy'", finding.Message);
    }

    [Fact]
    public void ClassifyBuild_UnknownTypeOfALibrary_IsAMissingHeaderEvenWithoutANote()
    {
        const string log = "kmeans.c:12:5: error: unknown type name 'uint64_t'";

        var finding = Assert.Single(ErrorTaxonomy.ClassifyBuild(new JobOutcome(false, 1, 0, log)));

        Assert.Equal(ErrorCategories.MissingHeader, finding.Category);
    }

    [Fact]
    public void ClassifyBuild_FailureWithNoKnownDiagnostic_IsOtherWithTheRawTail()
    {
        const string log = "Killed\nsomething went wrong in the toolchain";

        var finding = Assert.Single(ErrorTaxonomy.ClassifyBuild(new JobOutcome(false, 4, 0, log)));

        Assert.Equal(ErrorCategories.Other, finding.Category);
        Assert.Contains("something went wrong in the toolchain", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassifyBuild_HundredsOfErrors_AreCappedAndClipped()
    {
        var log = string.Join('\n', Enumerable.Range(1, 500).Select(i => $"big.c:{i}:1: error: 'v{i}' undeclared (first use in this function)" + new string('x', 5000)));

        var findings = ErrorTaxonomy.ClassifyBuild(new JobOutcome(false, 1, 0, log));

        Assert.Equal(20, findings.Count);
        Assert.All(findings, f => Assert.True(f.Message.Length <= 2000));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\0\u0001\u0002 binary \uFFFD garbage :::: error: error: ((((")]
    [InlineData("x.c:1:1: error: ")]
    [InlineData("==1==ERROR: AddressSanitizer:\nSUMMARY: \n*** MPI_ERR_: \nFatal error in : , error stack:")]
    public void Classify_AnyText_NeverThrows(string log)
    {
        var outcome = new JobOutcome(false, 1, 0, log);

        Assert.NotNull(ErrorTaxonomy.ClassifyBuild(outcome));
        Assert.NotEmpty(ErrorTaxonomy.ClassifyRun(outcome, Technologies.Mpi));
    }

    [Fact]
    public void ClassifyRun_CleanExit_HasNoFinding() =>
        Assert.Empty(ErrorTaxonomy.ClassifyRun(new JobOutcome(false, 0, 0, "sum 42\n"), Technologies.OpenMp));

    [Theory]
    [InlineData(Technologies.Mpi, ErrorCategories.MpiDeadlockOrHang)]
    [InlineData(Technologies.OpenMp, ErrorCategories.TimeoutInfiniteLoop)]
    [InlineData(Technologies.Cuda, ErrorCategories.TimeoutInfiniteLoop)]
    public void ClassifyRun_Timeout_DependsOnTheTechnology(string technology, string expected)
    {
        var finding = Assert.Single(ErrorTaxonomy.ClassifyRun(new JobOutcome(true, 137, 9, "iteration 1\n"), technology));

        Assert.Equal(expected, finding.Category);
    }

    [Fact]
    public void ClassifyRun_SignalsOfAKilledJob_AreNotCrashes()
    {
        // MPICH's banner when the time limit killed the job: the signal is the kill's, not the program's.
        const string log = """
            ===================================================================================
            =   BAD TERMINATION OF ONE OF YOUR APPLICATION PROCESSES
            =   EXIT CODE: 15
            ===================================================================================
            YOUR APPLICATION TERMINATED WITH THE EXIT STRING: Terminated (signal 15)
            """;

        var finding = Assert.Single(ErrorTaxonomy.ClassifyRun(new JobOutcome(true, 124, 0, log), Technologies.Mpi));

        Assert.Equal(ErrorCategories.MpiDeadlockOrHang, finding.Category);
    }

    [Fact]
    public void ClassifyRun_RaceThenCrash_ReportsBoth()
    {
        const string log = """
            ==================
            WARNING: ThreadSanitizer: data race (pid=3346)
              Write of size 8 at 0x7fffe3ca3230 by thread T3:
                #0 .omp_outlined._debug__ /work/race.c:7:13 (race+0xd0284)
            SUMMARY: ThreadSanitizer: data race /work/race.c:7:13 in .omp_outlined._debug__
            ==================
            """;

        var findings = ErrorTaxonomy.ClassifyRun(new JobOutcome(false, 139, 11, log), Technologies.OpenMp);

        Assert.Equal([ErrorCategories.DataRace, ErrorCategories.SegmentationFault], findings.Select(f => f.Category));
    }

    [Fact]
    public void ClassifyRun_ReportThatEndsTheProgram_ExplainsItsExitCode()
    {
        const string log = """
            =================================================================
            ==3595==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x6180000003a0 at pc 0x555db2d08fa2
            WRITE of size 8 at 0x6180000003a0 thread T0
                #0 0x555db2d08fa1 in main /work/heap.c:6:39
            SUMMARY: AddressSanitizer: heap-buffer-overflow /work/heap.c:6:39 in main
            ==3595==ABORTING
            """;

        var finding = Assert.Single(ErrorTaxonomy.ClassifyRun(new JobOutcome(false, 1, 0, log), Technologies.OpenMp));

        Assert.Equal(ErrorCategories.MemoryError, finding.Category);
        Assert.Contains("/work/heap.c:6:39", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassifyRun_SameErrorFromEveryRank_CountsOnce()
    {
        var log = string.Join('\n', Enumerable.Range(0, 3).Select(rank => $"""
            Abort({403327494 + rank}) on node {rank} (rank {rank} in comm 0): Fatal error in internal_Send: Invalid rank, error stack:
            internal_Send(120): MPI_Send(buf=0x7fff106c{rank}194, count=1, MPI_INT, 3, 0, MPI_COMM_WORLD) failed
            internal_Send(78).: Invalid rank has value 3 but must be nonnegative and less than 3
            """));

        var finding = Assert.Single(ErrorTaxonomy.ClassifyRun(new JobOutcome(false, 6, 0, log), Technologies.Mpi));

        Assert.Equal(ErrorCategories.MpiInvalidRank, finding.Category);
        Assert.StartsWith("Abort(403327494) on node 0", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(6, ErrorCategories.MpiInvalidRank, "Data unpack would read past end of buffer")]
    [InlineData(15, ErrorCategories.MpiTruncate, "Data unpack would read past end of buffer")]
    [InlineData(8, ErrorCategories.MpiError, "Data unpack would read past end of buffer")]
    [InlineData(1, ErrorCategories.NonzeroExit, "Data unpack would read past end of buffer")]
    [InlineData(6, ErrorCategories.MpiInvalidRank, "Out of resource")]
    public void ClassifyRun_OpenMpiLostItsMessage_ReadsTheErrorClassFromTheExitCode(int exitCode, string expected, string trace)
    {
        var log = $"[vm:12866] [[24252,0],0] ORTE_ERROR_LOG: {trace} in file ../../../orte/util/show_help.c at line 501";

        var findings = ErrorTaxonomy.ClassifyRun(new JobOutcome(false, exitCode, 0, log), Technologies.Mpi);

        Assert.Equal(expected, findings[0].Category);
    }

    [Theory]
    [InlineData("", 6, ErrorCategories.MpiInvalidRank)]
    [InlineData("", 5, ErrorCategories.MpiInvalidCommunicator)]
    [InlineData("", 7, ErrorCategories.NonzeroExit)]
    [InlineData("usage: heat N ITERATIONS\n", 2, ErrorCategories.NonzeroExit)]
    public void ClassifyRun_MpiRunWithNoMessage_ReadsOnlyTheClassesBothLibrariesNumberAlike(string log, int exitCode, string expected)
    {
        // MPICH now and then loses its message too; 7 is MPI_ERR_ROOT in MPICH but MPI_ERR_REQUEST in Open MPI.
        Assert.Equal(expected, ErrorTaxonomy.ClassifyRun(new JobOutcome(false, exitCode, 0, log), Technologies.Mpi)[0].Category);
        Assert.Equal(ErrorCategories.NonzeroExit, ErrorTaxonomy.ClassifyRun(new JobOutcome(false, exitCode, 0, log), Technologies.OpenMp)[0].Category);
    }

    [Fact]
    public void JobOutcome_FromAnAgentResult_ReadsStandardErrorAndOutput()
    {
        // MPICH prints its termination banner on standard output.
        var result = new JobResult
        {
            Status = JobResult.Types.Status.Exited,
            ExitCode = 11,
            Stdout = ByteString.CopyFromUtf8("YOUR APPLICATION TERMINATED WITH THE EXIT STRING: Segmentation fault (signal 11)\n"),
            Stderr = ByteString.CopyFromUtf8("[vm:2372 :0:2372] Caught signal 11 (Segmentation fault: address not mapped to object at address (nil))\n"),
        };

        var findings = ErrorTaxonomy.ClassifyRun(JobOutcome.From(result.ToDomain()), Technologies.Mpi);

        Assert.Equal(ErrorCategories.SegmentationFault, Assert.Single(findings).Category);
    }

    [Fact]
    public void ClassifyRun_ForASanitizerRun_CarriesThatStage() =>
        Assert.Equal(FindingStages.Sanitize, ErrorTaxonomy.ClassifyRun(new JobOutcome(false, 2, 0, ""), Technologies.OpenMp, FindingStages.Sanitize)[0].Stage);

    [Fact]
    public void ClassifyOutputs_RepeatsThatAgreeWithTheReference_HaveNoFinding() =>
        Assert.Empty(ErrorTaxonomy.ClassifyOutputs("sum 10\n", ["sum 10\n", "sum 10\n"], Exact, "at 4 thread(s)"));

    [Fact]
    public void ClassifyOutputs_StableButWrong_IsWrongOutput()
    {
        var finding = Assert.Single(ErrorTaxonomy.ClassifyOutputs("sum 10\n", ["sum 4\n", "sum 4\n"], Exact, "at 2 rank(s)"));

        Assert.Equal(ErrorCategories.WrongOutput, finding.Category);
        Assert.Contains("at 2 rank(s)", finding.Message, StringComparison.Ordinal);
        Assert.Contains("expected 'sum 10', got 'sum 4'", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassifyOutputs_RepeatsThatDisagree_AreNondeterministicFirst()
    {
        var findings = ErrorTaxonomy.ClassifyOutputs("sum 10\n", ["sum 10\n", "sum 9\n"], Exact, "at 4 thread(s)");

        Assert.Equal([ErrorCategories.NondeterministicOutput, ErrorCategories.WrongOutput], findings.Select(f => f.Category));
        Assert.All(findings, f => Assert.Equal(FindingStages.Verify, f.Stage));
    }

    [Fact]
    public void ClassifyParallelism_NotParallel_IsOneFindingWithTheReason()
    {
        Assert.Empty(ErrorTaxonomy.ClassifyParallelism(new ParallelismReport(true, "2 directives")));
        var finding = Assert.Single(ErrorTaxonomy.ClassifyParallelism(new ParallelismReport(false, "no directive")));
        Assert.Equal((ErrorCategories.NotParallel, "no directive"), (finding.Category, finding.Message));
    }

    [Theory]
    [InlineData("output", "killed: output limit 256 KiB")]
    [InlineData("disk", "killed: disk limit 128 MiB in the work directory")]
    public void ClassifyRun_KilledAtAnOutputOrDiskLimit_IsAnOutputLimitNotOutOfMemory(string limit, string message)
    {
        // As the agent reports an output flood: SIGKILL, its message naming the limit.
        var result = new JobResult
        {
            Status = JobResult.Types.Status.KilledByLimit, Limit = limit, Message = message, Signal = 9,
            Stdout = ByteString.CopyFromUtf8("line 0 of a program that never stops printing\n"),
        };

        var finding = Assert.Single(ErrorTaxonomy.ClassifyRun(JobOutcome.From(result.ToDomain()), Technologies.OpenMp));

        Assert.Equal(ErrorCategories.OutputLimit, finding.Category);
        Assert.StartsWith(message, finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ClassifyRun_KilledAtTheMemoryLimit_IsOutOfMemory()
    {
        var result = new JobResult { Status = JobResult.Types.Status.KilledByLimit, Limit = "memory", Message = "killed: memory limit 256 MiB", Signal = 9 };

        Assert.Equal(ErrorCategories.OutOfMemory, Assert.Single(ErrorTaxonomy.ClassifyRun(JobOutcome.From(result.ToDomain()), Technologies.OpenMp)).Category);
    }

    [Fact]
    public void Categories_AreDistinctSnakeCaseNames()
    {
        Assert.Equal(ErrorCategories.All.Count, ErrorCategories.All.Distinct().Count());
        Assert.All(ErrorCategories.All, c => Assert.Matches(SnakeCase(), c));
    }

    [Fact]
    public void Categories_EachIsDocumentedWithAnExample()
    {
        var document = File.ReadAllText(Path.Combine(TestCatalog.RepositoryRoot, "docs", "taxonomy.md"));
        var rows = document.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToList();

        Assert.All(ErrorCategories.All, category =>
        {
            var row = Assert.Single(rows, r => r.StartsWith($"| `{category}` |", StringComparison.Ordinal));
            Assert.Equal(4, row.Split(" | ").Length);
            Assert.True(row.Split(" | ")[3].Trim(' ', '|').Length > 10, $"no example for {category}");
        });
    }

    [GeneratedRegex("^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")]
    private static partial Regex SnakeCase();
}
