using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Scheduling;
using Kernelsmith.Grains.Telemetry;
using Kernelsmith.Grains.Verification;

namespace Kernelsmith.Grains.Experiments.Stages;

/// <summary>
/// Untimed runs of sanitizer builds at the largest configuration: a data race or memory error fails the round even
/// when the output happened to match. A sanitizer build that fails says nothing about the program.
/// </summary>
public sealed class SanitizeStage : IStage
{
    public ExperimentStage Stage => ExperimentStage.Sanitize;

    public async Task<StepResult> RunAsync(StageContext context)
    {
        var (spec, kernel, technology, round) = (context.Spec, context.Kernel, context.Technology, context.Round);
        var wanted = (spec.Verify ?? VerifySettings.Default).Sanitizers;
        var sanitizers = BuildRecipe.SanitizersFor(technology).Where(s => wanted.Contains(s == Sanitizer.Thread ? "thread" : "memory")).ToList();
        if (sanitizers.Count == 0)
        {
            return new StepResult(round);
        }

        var agent = await context.SelectAgentAsync(round);
        var configuration = Configurations.Timed(spec, technology).Last();
        foreach (var sanitizer in sanitizers)
        {
            using var activity = GrainsInstrumentation.Source.StartActivity("sanitize");
            activity?.SetTag("kernelsmith.sanitizer", sanitizer.ToString());
            var recipe = BuildRecipe.ForSanitizer(kernel, technology, sanitizer);
            // One build per way the inputs change the program (most kernels: one); the earlier stages checked each builds.
            var builds = new Dictionary<string, string?>(StringComparer.Ordinal);
            // The amplified inputs are small and reach the edge cases; a kernel without them is checked on its run input.
            IEnumerable<KernelInput> inputs = kernel.Amplified.Count > 0 ? kernel.Amplified.Values : [kernel.Inputs[spec.Run.Input]];
            foreach (var input in inputs)
            {
                var variant = InputBuild.Describe(input);
                if (!builds.TryGetValue(variant, out var artifact))
                {
                    var suffix = variant.Length == 0 ? $"{sanitizer}-build" : $"{sanitizer}-build-{input.Name}";
                    (artifact, var problem) = await BuildAsync(context, agent, input, suffix, recipe);
                    builds[variant] = artifact;
                    if (problem is not null)
                    {
                        round = round with
                        {
                            Findings = [.. round.Findings, new ErrorFinding(FindingStages.Sanitize, ErrorCategories.Other,
                                Text.Clip($"{sanitizer} sanitizer build failed, run skipped: {problem}", 2000, Text.LogMarker))],
                        };
                    }
                }

                if (artifact is null)
                {
                    continue;
                }

                // Sanitizers slow a program down several times; the run is untimed, so it gets a longer limit.
                var job = Jobs.Run(context.JobId($"{sanitizer}/{input.Name}"), artifact, input, configuration.Threads, configuration.Ranks,
                    spec.Run.TimeoutSeconds * 10, exclusive: false, technology) with { Environment = recipe.RunEnvironment, Wrapper = recipe.RunWrapper };
                var result = await context.RunAsync(agent, job);
                if (Jobs.Succeeded(result))
                {
                    continue;
                }

                var log = Jobs.Log(result);
                var findings = ErrorTaxonomy.ClassifyRun(JobOutcome.From(result), technology, FindingStages.Sanitize);
                var where = $"on input '{input.Name}' {configuration.Where}";
                return context.Fail(round with { RunLog = log }, Verdict.RuntimeError,
                    $"{sanitizer} sanitizer {where}: {findings.FirstOrDefault()?.Category ?? "the run failed"}",
                    RepairFeedback.SanitizerFound(sanitizer.ToString(), where, log), findings);
            }
        }

        return new StepResult(round);
    }

    /// <summary>The sanitizer build's artifact for an input, or why there is none (the build failed, or the input's substitution found no text).</summary>
    private static async Task<(string? Artifact, string? Problem)> BuildAsync(StageContext context, AgentInfo agent, KernelInput input, string suffix, BuildRecipe recipe)
    {
        BuildRequest job;
        try
        {
            job = InputBuild.Job(context.JobId(suffix), context.Kernel.Id, input, context.Round.Files, recipe, context.Spec.Run.BuildTimeoutSeconds);
        }
        catch (InputBuildException e)
        {
            return (null, e.Message);
        }

        var build = await context.BuildAsync(agent, job);
        return Jobs.Succeeded(build) ? (build.ArtifactId, null) : (null, Jobs.FirstErrorLine(Jobs.Log(build)));
    }
}
