using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Grains.Experiments;

namespace Kernelsmith.Grains.Tests.Experiments;

public sealed class ExperimentTransitionsTests
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
        Assert.Equal(to, ExperimentTransitions.Next(from, failure: null, roundsLeft: true));

    [Theory]
    [InlineData(ExperimentStage.Extract, Verdict.NoCode)]
    [InlineData(ExperimentStage.Build, Verdict.BuildError)]
    [InlineData(ExperimentStage.Run, Verdict.RuntimeError)]
    [InlineData(ExperimentStage.Run, Verdict.Timeout)]
    [InlineData(ExperimentStage.Verify, Verdict.WrongOutput)]
    [InlineData(ExperimentStage.Sanitize, Verdict.RuntimeError)]
    [InlineData(ExperimentStage.Amplify, Verdict.WrongOutput)]
    public void Next_ModelFailure_GoesToRepair(ExperimentStage from, Verdict failure) =>
        Assert.Equal(ExperimentStage.Repair, ExperimentTransitions.Next(from, failure, roundsLeft: true));

    [Theory]
    [InlineData(ExperimentStage.Generate)]
    [InlineData(ExperimentStage.Build)]
    [InlineData(ExperimentStage.Run)]
    public void Next_InfraFailure_IsRecordedAndNeverRepaired(ExperimentStage from) =>
        Assert.Equal(ExperimentStage.Record, ExperimentTransitions.Next(from, Verdict.InfraError, roundsLeft: true));

    [Fact]
    public void Next_Repair_GeneratesAgainWhileRoundsAreLeft()
    {
        Assert.Equal(ExperimentStage.Generate, ExperimentTransitions.Next(ExperimentStage.Repair, Verdict.BuildError, roundsLeft: true));
        Assert.Equal(ExperimentStage.Record, ExperimentTransitions.Next(ExperimentStage.Repair, Verdict.BuildError, roundsLeft: false));
    }

    [Fact]
    public void Next_Done_StaysDone() =>
        Assert.Equal(ExperimentStage.Done, ExperimentTransitions.Next(ExperimentStage.Done, null, roundsLeft: true));
}
