using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Grains.Scheduling;
using Kernelsmith.Grains.Verification;

namespace Kernelsmith.Grains.Experiments.Stages;

/// <summary>
/// Runs the kernel's checker (<see cref="OutputCheck"/>) on a program's output files, in the sandbox like any job: the
/// checker's files, the program's output files under their names and the reference's under <c>reference/</c>.
/// </summary>
public static class OutputCheckRun
{
    public const string ReferenceFolder = "reference";

    /// <summary>
    /// The checker's job. A run needs an artifact to start from: the reference's is given, and left unused, as the
    /// command runs under <c>/bin/sh -c</c> (<c>$0</c> is the artifact's path).
    /// </summary>
    public static RunRequest Job(string jobId, string artifactId, OutputCheck check, string produced, IReadOnlyList<CodeFile> referenceOutputs, double timeoutSeconds)
    {
        var files = new List<CodeFile>(check.Files);
        files.AddRange(Jobs.OutputFilesOf(produced, check.Outputs));
        files.AddRange(referenceOutputs.Where(f => check.Outputs.Contains(f.Path)).Select(f => f with { Path = $"{ReferenceFolder}/{f.Path}" }));
        var input = new KernelInput("check", [], null, files, []);
        return Jobs.Run(jobId, artifactId, input, 1, 1, timeoutSeconds, exclusive: false, BuildRecipe.Sequential) with { Wrapper = ["/bin/sh", "-c", check.Command] };
    }

    /// <summary>
    /// The checker on each timed configuration's output (its first kept run) on the run input: the first it rejects
    /// ends the round as <c>wrong_output</c>, with what the checker printed. Null when every one passes.
    /// </summary>
    public static async Task<StepResult?> CheckAsync(StageContext context, Round round, OutputCheck check)
    {
        if (!Applies(check, context.Kernel.Inputs[context.Spec.Run.Input]))
        {
            return null;
        }

        var agent = await context.SelectAgentAsync(round);
        var reference = await context.ReferenceAsync(context.Spec.Run.Input, agent);
        if (reference.Error is not null)
        {
            return context.Fail(round, Verdict.InfraError, reference.Error, "");
        }

        foreach (var (run, outputs) in round.Runs.Zip(round.Outputs))
        {
            var configuration = new Configuration(run.Threads, run.Ranks);
            if (await CheckOneAsync(context, agent, round, check, reference, outputs[0], $"t{run.Threads}n{run.Ranks}", configuration.Where) is { } rejected)
            {
                return rejected;
            }
        }

        return null;
    }

    /// <summary>Whether the input's runs write a file the checker judges (only those are fetched from the agent).</summary>
    public static bool Applies(OutputCheck check, KernelInput input) => input.OutputFiles.Any(check.Outputs.Contains);

    /// <summary>The checker on one output of the program (<paramref name="where"/> names the input and configuration); null when it passes.</summary>
    public static async Task<StepResult?> CheckOneAsync(
        StageContext context, AgentInfo agent, Round round, OutputCheck check, ReferenceResult reference, string produced, string jobSuffix, string where)
    {
        var result = await context.RunAsync(agent, Job(context.JobId($"check/{jobSuffix}"), reference.ArtifactId, check, produced, reference.OutputFiles, context.Spec.Run.TimeoutSeconds));
        if (Jobs.Succeeded(result))
        {
            return null;
        }

        var said = Text.Clip((result.Stdout + result.Stderr).Trim(), 600, Text.LogMarker);
        var how = result.Status == JobStatus.Exited ? $"exit {result.ExitCode}" : result.Status.ToString();
        return context.Fail(round with { RunLog = round.RunLog + $"checker {where}:\n{said}\n" }, Verdict.WrongOutput,
            $"{where}: the kernel's checker ({check.Command}) rejected the output files ({how}): {Text.Clip(said.Split('\n')[0], 200)}",
            RepairFeedback.CheckerRejected(where, check.Outputs, said));
    }
}
