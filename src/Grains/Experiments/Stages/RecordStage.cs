using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Telemetry;

namespace Kernelsmith.Grains.Experiments.Stages;

/// <summary>Hands the final record to the sweep, which keeps the first report of each experiment and ignores the rest.</summary>
public sealed class RecordStage : IStage
{
    public ExperimentStage Stage => ExperimentStage.Record;

    public async Task<StepResult> RunAsync(StageContext context)
    {
        var record = context.Experiment.ToRecord();
        await context.Grains.GetGrain<ISweepGrain>(context.Spec.SweepId).RecordAsync(record);
        ExperimentTrace.Recorded(record);
        return new StepResult(context.Round);
    }
}
