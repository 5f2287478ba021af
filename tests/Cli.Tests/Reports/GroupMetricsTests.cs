using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Results.Reports;

namespace Kernelsmith.Cli.Tests.Reports;

/// <summary>The per model x technology metrics of the fixture sweep, against figures worked out by hand in the comments.</summary>
public sealed class GroupMetricsTests
{
    private static readonly ExpertBaseline s_expert = new(ReportFixture.Records);

    [Fact]
    public void Compute_AlphaOpenMp_CorrectnessOverTwoProblemsOfThreeSamples()
    {
        var m = Metrics(ReportFixture.Alpha, "openmp", count: 4);

        Assert.Equal((6, 0, 2, 5, 3), (m.Experiments, m.InfraErrors, m.Problems, m.Built, m.Passed));
        // build: gemm 2 of 3 built, heat2d 3 of 3. build@1 = (2/3 + 1) / 2; build@2 = (1 + 1) / 2.
        Assert.Equal(5.0 / 6, m.BuildAtK[1]!.Value, 12);
        Assert.Equal(1.0, m.BuildAtK[2]!.Value, 12);
        // pass: gemm c=2, heat2d c=1. pass@1 = (2/3 + 1/3) / 2; pass@2 = (1 + (1 - C(2,2)/C(3,2))) / 2 = (1 + 2/3) / 2.
        Assert.Equal(0.5, m.PassAtK[1]!.Value, 12);
        Assert.Equal(5.0 / 6, m.PassAtK[2]!.Value, 12);
    }

    [Fact]
    public void Compute_AlphaOpenMp_SpeedupsCountIncorrectAsZero()
    {
        var m = Metrics(ReportFixture.Alpha, "openmp", count: 4);

        // At 4 threads: gemm [3.0, 0, 3.0] (a tie), heat2d [0, 1.5, 0].
        // k=1: the means 2.0 and 0.5. k=2: gemm every pair holds a 3.0 -> 3.0; heat2d 2 of 3 pairs hold 1.5 -> 1.0.
        Assert.Equal(1.25, m.SpeedupNAtK[1]!.Value, 12);
        Assert.Equal(2.0, m.SpeedupNAtK[2]!.Value, 12);
        Assert.Equal(1.25 / 4, m.EfficiencyNAtK[1]!.Value, 12);
        Assert.Equal(0.5, m.EfficiencyNAtK[2]!.Value, 12);
        // Best count: heat2d's correct sample is best at 2 threads (1.6): k=1 (2.0 + 1.6/3) / 2; k=2 (3.0 + 3.2/3) / 2.
        Assert.Equal((2.0 + (1.6 / 3)) / 2, m.SpeedupMaxAtK[1]!.Value, 12);
        Assert.Equal((3.0 + (3.2 / 3)) / 2, m.SpeedupMaxAtK[2]!.Value, 12);
        // fast_1: gemm 2/3, heat2d 1/3; fast_2: gemm 2/3, heat2d 0.
        Assert.Equal(0.5, m.Fast1!.Value, 12);
        Assert.Equal(1.0 / 3, m.Fast2!.Value, 12);
    }

    [Fact]
    public void Compute_AlphaOpenMp_ComparesWithTheSimExpertMedian()
    {
        var m = Metrics(ReportFixture.Alpha, "openmp", count: 4);

        // Expert medians: gemm 4.0 (of 4.0, 3.6, 4.0), heat2d 2.5. Alpha: 3.0/4, 3.0/4, 1.6/2.5.
        Assert.Equal(3, m.ExpertCompared);
        Assert.Equal(Math.Cbrt(0.75 * 0.75 * 0.64), m.ExpertRatio!.Value, 12);
    }

    [Fact]
    public void Compute_AlphaMpi_UsesTheRecordedExpertSpeedupWhenNoSimExpertRan()
    {
        var m = Metrics(ReportFixture.Alpha, "mpi", count: 2);

        Assert.Equal(Math.Sqrt(1.9 / 2.0 * (1.5 / 2.0)), m.ExpertRatio!.Value, 12);
        Assert.Equal(2.0 / 3, m.PassAtK[1]!.Value, 12);
    }

    [Fact]
    public void Compute_Mutant_LeavesInfraErrorOutAndNeverCountsASequentialProgram()
    {
        var m = Metrics(ReportFixture.Mutant, "openmp", count: 4);

        // gemm: the infra error is left out (n=2) and the correct-but-not-parallel sample is not a pass (c=0).
        Assert.Equal((5, 1, 1), (m.Experiments, m.InfraErrors, m.Passed));
        Assert.Equal(((0.0 / 2) + (1.0 / 3)) / 2, m.PassAtK[1]!.Value, 12);
        Assert.Equal((0 + (2.0 / 3)) / 2, m.PassAtK[2]!.Value, 12);
    }

    [Fact]
    public void Compute_Repairs_CountedByTheRoundThatFixedThem()
    {
        var alpha = Metrics(ReportFixture.Alpha, "openmp", count: 4);
        var mutant = Metrics(ReportFixture.Mutant, "openmp", count: 4);

        Assert.Equal(2, alpha.PassedFirstRound);
        Assert.Equal(new Dictionary<int, int> { [1] = 1 }, alpha.RepairedAfter);
        Assert.Equal(new Dictionary<int, int> { [2] = 1 }, mutant.RepairedAfter);
    }

    [Fact]
    public void Compute_TokensAndCost_PerCorrectSolution()
    {
        var alpha = Metrics(ReportFixture.Alpha, "openmp", count: 4);
        var expert = Metrics(ReportFixture.Expert, "openmp", count: 4);

        // 6 experiments x 150 tokens, 3 correct; 6 x $0.01 over 3.
        Assert.Equal(300, alpha.TokensPerCorrect!.Value, 12);
        Assert.Equal(0.02, alpha.CostPerCorrect!.Value, 12);
        Assert.Null(expert.CostPerCorrect);
    }

    [Fact]
    public void Compute_ProblemWithFewerThanKSamples_LeavesThatKUndefined()
    {
        var group = ReportFixture.Records.Where(r => r.Model == ReportFixture.Alpha && r.Technology == "mpi").Take(2).ToList();

        var m = GroupMetrics.Compute(group, [1, 2, 5], 2, s_expert);

        Assert.NotNull(m.PassAtK[2]);
        Assert.Null(m.PassAtK[5]);
        Assert.Null(m.SpeedupNAtK[5]);
    }

    private static GroupMetrics Metrics(string model, string technology, int count) => GroupMetrics.Compute(
        ReportFixture.Records.Where(r => r.Model == model && r.Technology == technology).ToList(), [1, 2], count, s_expert);
}

/// <summary>What the metrics read off a single record.</summary>
public sealed class RecordFactsTests
{
    [Fact]
    public void ModelLabel_SimulatedModelWithoutTheWord_IsLabelled()
    {
        var record = ReportFixture.Record("gemm", "replayed", "openmp", 0, Verdict.Correct, [(1, 1.0)]);

        Assert.Equal("replayed (simulated)", record.ModelLabel());
        Assert.Equal(ReportFixture.Expert, ReportFixture.Record("gemm", ReportFixture.Expert, "openmp", 0, Verdict.Correct).ModelLabel());
    }

    [Fact]
    public void SpeedupAt_MpiRecord_ReadsTheRankCount()
    {
        var record = ReportFixture.Record("gemm", ReportFixture.Alpha, "mpi", 0, Verdict.Correct, [(1, 1.0), (4, 3.5)]);

        Assert.Equal(3.5, record.SpeedupAt(4));
        Assert.Equal(0, record.SpeedupAt(8));
        Assert.Equal(0, (record with { Verdict = Verdict.WrongOutput }).SpeedupAt(4));
    }
}
