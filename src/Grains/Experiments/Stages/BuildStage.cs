using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Experiments;
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

    private static async Task<StepResult> BuildAsync(StageContext context, Round round)
    {
        using var activity = GrainsInstrumentation.Source.StartActivity("build");
        var timeout = context.Spec.Run.BuildTimeoutSeconds;
        var agent = await context.SelectAgentAsync(round);
        var result = await context.BuildAsync(agent, Jobs.Build(context.JobId("build"), round.Files, BuildRecipe.For(context.Kernel, context.Technology), timeout));
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
