using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Scheduling;
using Microsoft.Extensions.Logging;

namespace Kernelsmith.Grains.Experiments;

/// <summary>
/// Times the catalog's expert solution against the sequential reference, paired, once per key; experiments of the
/// sweep asking meanwhile queue behind the first. Kept in memory only: a silo that dies measures it again.
/// </summary>
public sealed partial class ExpertTimingGrain(IJobRunner dispatcher, ILogger<ExpertTimingGrain> logger) : Grain, IExpertTimingGrain
{
    private bool _done;
    private PairedTiming? _timing;

    public static string Key(string sweepId, KernelDefinition kernel, string technology, string input, string agentId, int threads, int ranks) =>
        $"{sweepId}/{kernel.Id}@{kernel.ContentHash}/{technology}/{input}/{agentId}/t{threads}n{ranks}";

    public async Task<PairedTiming?> GetAsync(KernelDefinition kernel, string technology, RunSettings run, AgentInfo agent, int threads, int ranks)
    {
        if (_done)
        {
            return _timing;
        }

        if (!kernel.Solutions.TryGetValue(technology, out var solution))
        {
            _done = true;
            return null;
        }

        var agentId = agent.AgentId;
        var reference = await GrainFactory.GetGrain<IReferenceGrain>(ReferenceGrain.Key(kernel, run.Input, agentId))
            .GetAsync(kernel, run.Input, agent, run.Repetitions, run.TimeoutSeconds);
        BuildRequest buildJob;
        try
        {
            buildJob = InputBuild.Job($"expert-build-{kernel.Id}-{technology}", kernel.Id, kernel.Inputs[run.Input], solution, BuildRecipe.For(kernel, technology), run.BuildTimeoutSeconds);
        }
        catch (InputBuildException e)
        {
            LogExpertFailed(kernel.Id, technology, agentId, e.Message);
            _done = true;
            return null;
        }

        var build = await dispatcher.BuildAsync(agent, buildJob, CancellationToken.None);
        if (reference.Error is not null || build.Status != JobStatus.Exited || build.ExitCode != 0)
        {
            LogExpertFailed(kernel.Id, technology, agentId, reference.Error ?? Jobs.Log(build));
            _done = true;
            return null;
        }

        var input = kernel.Inputs[run.Input];
        var jobId = $"expert-{this.GetPrimaryKeyString()}";
        var job = Measurements.Job(
            jobId, run, kernel.TimingPattern,
            Jobs.Run($"{jobId}/reference", reference.ArtifactId, input, 1, 1, run.TimeoutSeconds, exclusive: true, BuildRecipe.Sequential),
            Jobs.Run($"{jobId}/expert", build.ArtifactId, input, threads, ranks, run.TimeoutSeconds, exclusive: true, technology));
        var result = await dispatcher.MeasureAsync(agent, job, CancellationToken.None);
        _done = true;
        if (result.Measurement is not { FailedArm: -1 } measurement)
        {
            LogExpertFailed(kernel.Id, technology, agentId, $"{result.Status} exit {result.ExitCode}: {Jobs.Log(result)}");
            return null;
        }

        _timing = Measurements.Timing(measurement, 1);
        return _timing;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The expert solution of {Kernel} ({Technology}) could not be timed on {Agent}: {Problem}")]
    private partial void LogExpertFailed(string kernel, string technology, string agent, string problem);
}
