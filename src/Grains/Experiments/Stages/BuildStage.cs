using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Scheduling;
using Kernelsmith.Grains.Telemetry;
using Kernelsmith.Grains.Verification;

namespace Kernelsmith.Grains.Experiments.Stages;

/// <summary>Compiles the round's files on an agent that offers the technology; the artifact stays on that agent.</summary>
public sealed class BuildStage : IStage
{
    public ExperimentStage Stage => ExperimentStage.Build;

    public Task<StepResult> RunAsync(StageContext context) => BuildAsync(context, context.Round);

    /// <summary>
    /// The agent holding the round's artifact; when that agent is gone, the program is built again on another (the
    /// artifact and the reference time belong to the machine that is gone). The result is the build's failure, if any.
    /// </summary>
    public static async Task<(AgentInfo Agent, StepResult Result)> AgentWithArtifactAsync(StageContext context, Round round)
    {
        var agent = await context.SelectAgentAsync(round);
        if (agent.AgentId == round.AgentId)
        {
            return (agent, new StepResult(round));
        }

        var built = await BuildAsync(context, round);
        return built.Failure is not null ? (agent, built) : (await context.SelectAgentAsync(built.Round), built);
    }

    /// <summary>
    /// The round's program as <paramref name="input"/> builds it: the round's artifact when the input changes the build as
    /// the run input does (the usual case), else a build of its own (its definitions and substitutions). The result is
    /// the build's failure, if any.
    /// </summary>
    public static async Task<(string? ArtifactId, StepResult? Failure)> ArtifactForAsync(StageContext context, AgentInfo agent, Round round, KernelInput input)
    {
        if (InputBuild.SameBuild(input, context.Kernel.Inputs[context.Spec.Run.Input]))
        {
            return (round.ArtifactId, null);
        }

        var built = await BuildAsync(context, round, input, $"build-{input.Name}", agent);
        return built.Failure is null ? (built.Round.ArtifactId, null) : (null, built);
    }

    private static async Task<StepResult> BuildAsync(StageContext context, Round round) =>
        await BuildAsync(context, round, context.Kernel.Inputs[context.Spec.Run.Input], "build", await context.SelectAgentAsync(round));

    private static async Task<StepResult> BuildAsync(StageContext context, Round round, KernelInput input, string jobSuffix, AgentInfo agent)
    {
        using var activity = GrainsInstrumentation.Source.StartActivity("build");
        var timeout = context.Spec.Run.BuildTimeoutSeconds;
        BuildRequest job;
        try
        {
            job = InputBuild.Job(context.JobId(jobSuffix), context.Kernel.Id, input, round.Files, BuildRecipe.For(context.Kernel, context.Technology), timeout);
        }
        catch (InputBuildException e)
        {
            // The answer changed or dropped the text the input replaces: its program cannot be given the input's size.
            return context.Fail(round, Verdict.BuildError, e.Message, RepairFeedback.SubstitutionTextMissing(e.File, e.Text));
        }

        var result = await context.BuildAsync(agent, job);
        var log = Jobs.Log(result);
        round = round with { AgentId = agent.AgentId, BuildLog = log, Toolchain = result.Toolchain };
        if (result.Status == JobStatus.TimedOut)
        {
            return context.Fail(round, Verdict.BuildError, $"the build did not finish within {timeout} s", RepairFeedback.BuildTimedOut(),
                ErrorTaxonomy.ClassifyBuild(JobOutcome.From(result)));
        }

        if (result.Status == JobStatus.KilledByLimit)
        {
            return context.Fail(round, Verdict.BuildError, $"the build was stopped: {result.Message}", RepairFeedback.BuildStopped(result.Message));
        }

        if (result.ExitCode != 0 || result.Signal != 0)
        {
            return context.Fail(round, Verdict.BuildError, Jobs.FirstErrorLine(log), RepairFeedback.BuildFailed(log),
                ErrorTaxonomy.ClassifyBuild(JobOutcome.From(result)));
        }

        return new StepResult(round with { ArtifactId = result.ArtifactId });
    }
}
