using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Telemetry;
using Kernelsmith.Grains.Verification;

namespace Kernelsmith.Grains.Experiments.Stages;

/// <summary>
/// Stores the attempts (prompts, answers, logs) in the <see cref="AttemptStore"/>, then hands the final record to the
/// sweep, which keeps the first report of each experiment and ignores the rest. Attempts never travel to the sweep, and
/// a reader who finds the record finds its attempts.
/// </summary>
public sealed class RecordStage(AttemptStore attempts) : IStage
{
    public ExperimentStage Stage => ExperimentStage.Record;

    public async Task<StepResult> RunAsync(StageContext context)
    {
        var record = context.Experiment.ToRecord();
        var inputBuild = InputBuild.Describe(context.Kernel.Inputs[context.Spec.Run.Input]);
        var last = context.Experiment.Current;
        record = record with
        {
            Attempts = [],
            Provenance = record.Provenance with { InputBuild = inputBuild.Length > 0 ? inputBuild : null },
            ReferenceOutput = last.ReferenceOutput.Length > 0 ? VerificationStrength.Measure(last.ReferenceOutput, context.Kernel.Compare, last.ReferenceVaries, context.Kernel.Check is not null) : null,
        };
        await attempts.WriteAsync(record.Experiment, context.Experiment.Attempts);
        await context.Grains.GetGrain<ISweepGrain>(context.Spec.SweepId).RecordAsync(record);
        ExperimentTrace.Recorded(record);
        return new StepResult(context.Round);
    }
}
