using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Grains.Scheduling;

namespace Kernelsmith.Grains.Experiments.Stages;

/// <summary>
/// Times one configuration of a built program against the sequential reference: the Run stage asks it once per
/// configuration. Swap the implementation to change how timings are taken; the stage stays as it is.
/// </summary>
public interface IConfigurationTiming
{
    /// <summary>
    /// Runs <paramref name="round"/>'s artifact on <paramref name="agent"/> at <paramref name="configuration"/> on the
    /// run input, owning the cores it measures; stops at the first run that fails (the reference's included).
    /// </summary>
    Task<Timing> MeasureAsync(StageContext context, AgentInfo agent, Round round, Configuration configuration, KernelInput input, ReferenceResult reference);
}

/// <summary>
/// A configuration's timing and what its kept runs printed; or the run that failed, with the outputs before it.
/// <paramref name="ReferenceFailed"/>: the failed run was the sequential reference's, timed beside the program.
/// <paramref name="Stderr"/>: what the program's first kept run wrote to standard error (a wrong output's best clue).
/// </summary>
public sealed record Timing(RunMeasurement? Measurement, IReadOnlyList<string> Outputs, JobReport? Failed = null, bool ReferenceFailed = false, string Stderr = "");
