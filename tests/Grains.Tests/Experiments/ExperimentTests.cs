using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Experiments;
using Kernelsmith.Grains.Verification;

namespace Kernelsmith.Grains.Tests.Experiments;

public sealed class ExperimentTests
{
    [Theory]
    [InlineData(ExperimentStage.Pending, ExperimentStage.Generate)]
    [InlineData(ExperimentStage.Generate, ExperimentStage.Extract)]
    [InlineData(ExperimentStage.Extract, ExperimentStage.Build)]
    [InlineData(ExperimentStage.Build, ExperimentStage.Run)]
    [InlineData(ExperimentStage.Run, ExperimentStage.Verify)]
    [InlineData(ExperimentStage.Verify, ExperimentStage.Amplify)]
    [InlineData(ExperimentStage.Amplify, ExperimentStage.Sanitize)]
    [InlineData(ExperimentStage.Sanitize, ExperimentStage.Record)]
    [InlineData(ExperimentStage.Record, ExperimentStage.Done)]
    public void Next_StepSucceeded_MovesAlongTheHappyPath(ExperimentStage from, ExperimentStage to) =>
        Assert.Equal(to, Experiment.Next(from, failure: null, roundsLeft: true));

    [Theory]
    [InlineData(ExperimentStage.Extract, Verdict.NoCode)]
    [InlineData(ExperimentStage.Build, Verdict.BuildError)]
    [InlineData(ExperimentStage.Run, Verdict.RuntimeError)]
    [InlineData(ExperimentStage.Run, Verdict.Timeout)]
    [InlineData(ExperimentStage.Verify, Verdict.WrongOutput)]
    [InlineData(ExperimentStage.Sanitize, Verdict.RuntimeError)]
    [InlineData(ExperimentStage.Amplify, Verdict.WrongOutput)]
    public void Next_ModelFailure_GoesToRepair(ExperimentStage from, Verdict failure) =>
        Assert.Equal(ExperimentStage.Repair, Experiment.Next(from, failure, roundsLeft: true));

    [Theory]
    [InlineData(ExperimentStage.Generate)]
    [InlineData(ExperimentStage.Build)]
    [InlineData(ExperimentStage.Run)]
    public void Next_InfraFailure_IsRecordedAndNeverRepaired(ExperimentStage from) =>
        Assert.Equal(ExperimentStage.Record, Experiment.Next(from, Verdict.InfraError, roundsLeft: true));

    [Fact]
    public void Next_Repair_GeneratesAgainWhileRoundsAreLeft()
    {
        Assert.Equal(ExperimentStage.Generate, Experiment.Next(ExperimentStage.Repair, Verdict.BuildError, roundsLeft: true));
        Assert.Equal(ExperimentStage.Record, Experiment.Next(ExperimentStage.Repair, Verdict.BuildError, roundsLeft: false));
    }

    [Fact]
    public void Next_Done_StaysDone() =>
        Assert.Equal(ExperimentStage.Done, Experiment.Next(ExperimentStage.Done, null, roundsLeft: true));

    [Fact]
    public void After_StageFailed_ClosesTheRoundAsAnAttemptAndGoesToRepair()
    {
        var building = Answered(Experiment.Start(Spec(rounds: 1), "")) with { Stage = ExperimentStage.Build };
        var failed = building.Current.Failed(ExperimentStage.Build, Verdict.BuildError, "x.c:3: error: 'n' undeclared", "The build failed.");

        var next = building.After(failed, Verdict.BuildError);

        Assert.Equal(ExperimentStage.Repair, next.Stage);
        var attempt = Assert.Single(next.Attempts);
        Assert.Equal((0, Verdict.BuildError, "The build failed."), (attempt.Round, attempt.Verdict, attempt.Feedback));
        Assert.Equal("user prompt", attempt.Prompt);
        // Without classified findings, the verdict itself is the finding, attributed to the stage that failed.
        Assert.Equal(new ErrorFinding("build", "build_error", "x.c:3: error: 'n' undeclared"), Assert.Single(next.Current.Findings));
    }

    [Fact]
    public void After_RepairWithRoundsLeft_StartsARoundThatAsksWithTheFeedback()
    {
        var repairing = Failed(Answered(Experiment.Start(Spec(rounds: 1), "")), Verdict.WrongOutput, "The output differs.");

        var next = repairing.After(repairing.Current, failure: null);

        Assert.Equal(ExperimentStage.Generate, next.Stage);
        Assert.Equal([0, 1], next.Rounds.Select(r => r.Number));
        var feedback = Assert.Single(next.Current.Asked);
        Assert.Equal(RepairFeedback.Turn(Verdict.WrongOutput, "The output differs."), feedback);
        // The model sees its first prompt, its answer, then the feedback.
        Assert.Equal(["system", "user", "assistant", "user"], next.Conversation.Select(t => t.Role));
        Assert.Single(next.Attempts);
    }

    [Fact]
    public void After_RepairWithNoRoundsLeft_RecordsTheFailure()
    {
        var repairing = Failed(Answered(Experiment.Start(Spec(rounds: 0), "")), Verdict.Timeout, "It hung.");

        var next = repairing.After(repairing.Current, failure: null);

        Assert.Equal(ExperimentStage.Record, next.Stage);
        Assert.Single(next.Rounds);
        Assert.Equal(Verdict.Timeout, next.ToRecord().Verdict);
    }

    [Fact]
    public void After_SanitizePassed_ClosesTheRoundAsCorrect()
    {
        var sanitizing = Answered(Experiment.Start(Spec(rounds: 1), "")) with { Stage = ExperimentStage.Sanitize };
        var verified = sanitizing.Current with { Verdict = Verdict.Correct };

        var next = sanitizing.After(verified, failure: null);

        Assert.Equal(ExperimentStage.Record, next.Stage);
        Assert.Equal(Verdict.Correct, Assert.Single(next.Attempts).Verdict);
    }

    [Fact]
    public void After_SanitizePassedButNotParallel_RecordsNotParallelWithTheReasonAndNoSpeedup()
    {
        var sanitizing = Answered(Experiment.Start(Spec(rounds: 1), "")) with { Stage = ExperimentStage.Sanitize };
        var verified = sanitizing.Current with
        {
            Verdict = Verdict.Correct, Parallel = false, Technology = Technologies.OpenMp,
            Findings = [new ErrorFinding("verify", "not_parallel", "no '#pragma omp' directive")],
            Runs = [new RunMeasurement(1, 1, 2.0, 1, [2.0], 1.0), new RunMeasurement(2, 1, 2.0, 1, [2.0], 1.0)],
        };

        var next = sanitizing.After(verified, failure: null);
        var record = next.ToRecord();

        // Right output, nothing parallel: recorded as such, not repaired, and never a successful port.
        Assert.Equal(ExperimentStage.Record, next.Stage);
        Assert.Equal(Verdict.NotParallel, Assert.Single(next.Attempts).Verdict);
        Assert.Equal((Verdict.NotParallel, "not parallel: no '#pragma omp' directive", (double?)null), (record.Verdict, record.Reason, record.Speedup));
        Assert.True(record.OutputCorrect);
        Assert.Equal(2, record.Runs.Count);
    }

    [Fact]
    public void Retried_CountsTriesKeepsTheJobsAndAStepThatSucceedsResetsTheCount()
    {
        var job = new JobSpan("e/r0/build", "build", "agent-1", false, [0], 1, 2, 3);
        var building = Answered(Experiment.Start(Spec(rounds: 0), "")) with { Stage = ExperimentStage.Build };

        var retried = building.Retried([job]).Retried([]);
        var built = retried.After(retried.Current with { ArtifactId = "a1" }, failure: null, [job]);

        Assert.Equal(2, retried.Retries);
        Assert.Equal(0, built.Retries);
        Assert.Equal(ExperimentStage.Run, built.Stage);
        Assert.Equal([job, job], built.Current.Jobs);
    }

    [Fact]
    public void ToRecord_TwoRounds_LastRoundsVerdictAndBestSpeedupWithEverythingSpentAndFound()
    {
        var experiment = Failed(Answered(Experiment.Start(Spec(rounds: 1), "")) with { Stage = ExperimentStage.Build }, Verdict.BuildError, "fix it");
        experiment = experiment.After(experiment.Current, failure: null);
        var runs = new List<RunMeasurement> { new(1, 1, 2.0, 1, [2.0], 1.0), new(2, 1, 1.0, 1, [1.0], 2.0) };
        var second = experiment.Current with
        {
            Answer = "```c\nint main(void) { return 0; }\n```", Tokens = new TokenUsage(10, 20), CostUsd = 0.5, Technology = Technologies.OpenMp,
            AgentId = "agent-1", Toolchain = "gcc 12", Hardware = "4 cores", SequentialSeconds = 2.0, Runs = runs, Parallel = true, Verdict = Verdict.Correct,
        };
        experiment = (experiment with { Stage = ExperimentStage.Sanitize }).After(second, failure: null);

        var record = experiment.ToRecord();

        Assert.Equal((Verdict.Correct, 2, 2.0, 2), (record.Verdict, record.Rounds, record.Speedup, record.BestThreads));
        Assert.Equal(new TokenUsage(110, 220), record.Tokens);
        Assert.Equal(1.5, record.CostUsd);
        Assert.Equal(["build_error"], record.Taxonomy.Select(f => f.Category));
        Assert.Equal([Verdict.BuildError, Verdict.Correct], record.Attempts.Select(a => a.Verdict));
        Assert.Equal(("agent-1", "gcc 12", "4 cores"), (record.Provenance.Agent, record.Provenance.Toolchain, record.Provenance.Hardware));
        Assert.Equal(16, record.Provenance.PromptHash.Length);
        Assert.True(record.Parallel);
    }

    private static ExperimentSpec Spec(int rounds) => new(
        "s/gemm/openmp/m/plain/0", "s", "gemm", new ModelSpec("m", ModelProviders.Sim, Behaviour: "expert"), Technologies.OpenMp, "plain", 0,
        new RepairSettings(rounds), new RunSettings("tiny", [1, 2], [1], 1, 10, 10));

    /// <summary>The first round asked and answered, as Generate leaves it.</summary>
    private static Experiment Answered(Experiment experiment) => experiment with
    {
        Stage = ExperimentStage.Extract,
        Rounds = [experiment.Current with { Asked = [ChatTurn.System("system prompt"), ChatTurn.User("user prompt")], Answer = "an answer", Tokens = new TokenUsage(100, 200), CostUsd = 1.0 }],
    };

    private static Experiment Failed(Experiment experiment, Verdict verdict, string feedback)
    {
        var failed = experiment.After(experiment.Current.Failed(experiment.Stage, verdict, "reason", feedback), verdict);
        Assert.Equal(ExperimentStage.Repair, failed.Stage);
        return failed;
    }
}
