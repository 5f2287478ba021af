using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Scheduling;

namespace Kernelsmith.Grains.Experiments;

/// <summary>
/// <c>kernelsmith calibrate</c>'s work: the sequential reference (built and checked by its <see cref="ReferenceGrain"/>)
/// against itself through the agent's Measure job, the baseline on one core and the copy on <c>threads</c> cores, as a
/// candidate at that count would be. Whatever it reports besides 1.0 is the node's bias; its interval, its noise.
/// </summary>
public sealed class CalibrationGrain(IJobRunner dispatcher) : Grain, ICalibrationGrain
{
    public async Task<Calibration> CalibrateAsync(KernelDefinition kernel, RunSettings run, string agentId, int threads)
    {
        var agents = await GrainFactory.GetGrain<IAgentRegistryGrain>(0).GetLiveAgentsAsync();
        var agent = agents.FirstOrDefault(a => a.AgentId == agentId)
            ?? throw new AgentUnavailableException($"agent {agentId} is not registered (agents: {string.Join(", ", agents.Select(a => a.AgentId))})");
        var reference = await GrainFactory.GetGrain<IReferenceGrain>(ReferenceGrain.Key(kernel, run.Input, agentId))
            .GetAsync(kernel, run.Input, agent, run.Repetitions, run.TimeoutSeconds);
        if (reference.Error is not null)
        {
            throw new InvalidOperationException(reference.Error);
        }

        var input = kernel.Inputs[run.Input];
        var jobId = $"calibrate-{kernel.Id}-{run.Input}-{agentId}-t{threads}-{Guid.NewGuid():n}";
        var job = Measurements.Job(
            jobId, run, kernel.TimingPattern,
            Jobs.Run($"{jobId}/reference", reference.ArtifactId, input, 1, 1, run.TimeoutSeconds, exclusive: true, BuildRecipe.Sequential),
            Jobs.Run($"{jobId}/copy", reference.ArtifactId, input, threads, 1, run.TimeoutSeconds, exclusive: true, BuildRecipe.Sequential));
        var result = await dispatcher.MeasureAsync(agent, job, CancellationToken.None);
        if (result.Measurement is not { FailedArm: -1 } measurement)
        {
            throw new InvalidOperationException($"the reference of {kernel.Id} failed while calibrating {agentId}: {result.Status} exit {result.ExitCode}: {Jobs.Log(result)}");
        }

        return new Calibration(agentId, kernel.Id, run.Input, threads, Measurements.Timing(measurement, 1));
    }
}
