using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Llm;
using Kernelsmith.Grains.Scheduling;
using Kernelsmith.Grains.Telemetry;

namespace Kernelsmith.Grains.Experiments.Stages;

/// <summary>
/// Asks the model. The first round renders the prompt template; a repair round asks with the feedback the experiment
/// put in it. A sweep whose budget is used up ends the experiment as the system's failure, not the model's.
/// </summary>
public sealed class GenerateStage(ModelGateway models, AgentDirectory agents) : IStage
{
    /// <summary>
    /// Characters of an answer kept: far more than any program, and a 50 MB answer is neither persisted with the
    /// experiment nor sent back to the model whole. Its head is kept, and the clipping said at its end.
    /// </summary>
    public const int MaxAnswer = 2 << 20;

    public ExperimentStage Stage => ExperimentStage.Generate;

    public async Task<StepResult> RunAsync(StageContext context)
    {
        var (spec, round) = (context.Spec, context.Round);
        if (round.Asked.Count == 0)
        {
            var template = spec.Template ?? PromptLibrary.Default;
            round = round with { Asked = PromptLibrary.Render(template, context.Kernel, spec.Technology, await PromptContextAsync(context, agents)) };
        }

        var model = context.Experiment.Model;
        using var activity = GrainsInstrumentation.Source.StartActivity("generate");
        activity?.SetTag("kernelsmith.model", model.Id);
        // The conversation so far: earlier rounds' prompts and answers, then this round's prompt.
        IReadOnlyList<ChatTurn> conversation = [.. context.Experiment.Conversation.SkipLast(context.Round.Asked.Count), .. round.Asked];
        ModelAnswer answer;
        try
        {
            answer = await models.CompleteAsync(new ModelRequest(spec, model, context.Kernel, conversation, round.Number), spec.UseCache, context.WithinBudget, CancellationToken.None);
        }
        catch (BudgetExhaustedException e)
        {
            return context.Fail(round, Verdict.InfraError, e.Message, "");
        }

        activity?.SetTag("kernelsmith.cached", answer.Cached);
        var text = Text.Clip(answer.Text, MaxAnswer, $"\n[answer clipped by Kernelsmith: {answer.Text.Length} characters in all, the first ones kept]");
        return new StepResult(round with
        {
            Answer = text,
            Tokens = round.Tokens.Add(answer.Tokens),
            CostUsd = answer.CostUsd is { } cost ? (round.CostUsd ?? 0) + cost : round.CostUsd,
            ServedModel = answer.ServedModel,
            SystemFingerprint = answer.SystemFingerprint,
        });
    }

    /// <summary>What templates may mention about the target: a live agent's hardware and the technologies it offers.</summary>
    private static async Task<PromptContext> PromptContextAsync(StageContext context, AgentDirectory directory)
    {
        var spec = context.Spec;
        var agents = await directory.LiveAsync();
        var pools = spec.Pools?.GetValueOrDefault(spec.Technology);
        var target = agents.FirstOrDefault(a => (spec.Technology == Technologies.Auto || a.Technologies.Contains(spec.Technology))
            && (pools is not { Count: > 0 } || pools.Contains(a.Pool)));
        var offered = agents.SelectMany(a => a.Technologies).ToHashSet();
        return new PromptContext(
            target is null ? "unknown" : $"{target.Hardware}; {target.Toolchain}",
            context.Kernel.Technologies.Where(offered.Contains).ToList());
    }
}
