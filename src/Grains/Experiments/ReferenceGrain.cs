using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Scheduling;
using Kernelsmith.Grains.Verification;

namespace Kernelsmith.Grains.Experiments;

/// <summary>
/// Builds a kernel's sequential reference once per (kernel, input, agent) and keeps its output and artifact.
/// Callers queue behind the first computation, so concurrent experiments never run it twice. Its runs here are
/// untimed: every speedup is measured against the reference in alternation with the candidate (<see cref="Stages.InterleavedTiming"/>).
/// </summary>
public sealed class ReferenceGrain(IJobRunner dispatcher) : Grain, IReferenceGrain
{
    private ReferenceResult? _result;

    public static string Key(KernelDefinition kernel, string input, string agentId) => $"{kernel.Id}@{kernel.ContentHash}/{input}/{agentId}";

    public async Task<ReferenceResult> GetAsync(KernelDefinition kernel, string input, AgentInfo agent, int repetitions, double timeoutSeconds)
    {
        if (_result is not null)
        {
            return _result;
        }

        var agentId = agent.AgentId;
        var kernelInput = kernel.Input(input);
        BuildRequest job;
        try
        {
            // The input's definitions and substitutions, exactly as every answer's build gets them.
            job = InputBuild.Job($"ref-build-{kernel.Id}", kernel.Id, kernelInput, kernel.Sources, BuildRecipe.For(kernel, BuildRecipe.Sequential), 120);
        }
        catch (InputBuildException e)
        {
            return Failed(e.Message, "");
        }

        var build = await dispatcher.BuildAsync(agent, job, CancellationToken.None);
        if (build.Status != JobStatus.Exited || build.ExitCode != 0)
        {
            return Failed($"the sequential reference of {kernel.Id} does not build on {agentId}: {Jobs.Log(build)}", build.Toolchain);
        }

        var times = new List<double>();
        JobReport? first = null;
        // At least two runs: a reference that disagrees with itself cannot judge anyone.
        for (var repetition = 0; repetition < Math.Max(2, repetitions); repetition++)
        {
            var run = await dispatcher.RunAsync(
                agent, Jobs.Run($"ref-run-{kernel.Id}-{repetition}", build.ArtifactId, kernelInput, 1, 1, timeoutSeconds, exclusive: false, BuildRecipe.Sequential), CancellationToken.None);
            if (!Jobs.Succeeded(run))
            {
                return Failed($"the sequential reference of {kernel.Id} failed on input '{input}': {run.Status} exit {run.ExitCode} signal {run.Signal}: {Jobs.Log(run)}", build.Toolchain);
            }

            first ??= run;
            times.Add(run.WallSeconds);
            var agreement = OutputComparer.Compare(Jobs.ProducedOutput(first), Jobs.ProducedOutput(run), kernel.Compare);
            if (!agreement.Matches)
            {
                return Failed($"the sequential reference of {kernel.Id} is not deterministic on input '{input}' (run 1 vs run {repetition + 1}): {agreement.Detail}", build.Toolchain);
            }
        }

        _result = new ReferenceResult(
            Jobs.ProducedOutput(first!),
            first!.OutputFiles,
            Statistics.Median(times),
            times,
            build.Toolchain,
            null)
        {
            ArtifactId = build.ArtifactId,
        };
        return _result;
    }

    private static ReferenceResult Failed(string error, string toolchain) => new("", [], 0, [], toolchain, error);
}
