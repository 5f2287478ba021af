using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Telemetry;

namespace Kernelsmith.Grains.Experiments.Stages;

/// <summary>Hands the final record to the sweep, which keeps the first report of each experiment and ignores the rest.</summary>
public sealed class RecordStage : IStage
{
    public ExperimentStage Stage => ExperimentStage.Record;

    public async Task<StepResult> RunAsync(StageContext context)
    {
        var record = context.Experiment.ToRecord();
        var inputBuild = InputBuild.Describe(context.Kernel.Inputs[context.Spec.Run.Input]);
        record = record with { Provenance = record.Provenance with { InputBuild = inputBuild.Length > 0 ? inputBuild : null } };
        await context.Grains.GetGrain<ISweepGrain>(context.Spec.SweepId).RecordAsync(record);
        ExperimentTrace.Recorded(record);
        return new StepResult(context.Round);
    }
}
