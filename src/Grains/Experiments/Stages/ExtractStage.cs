using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Extraction;
using Kernelsmith.Grains.Verification;

namespace Kernelsmith.Grains.Experiments.Stages;

/// <summary>
/// Takes the program out of the answer: the technology the model chose (for <c>auto</c>), the files, and whether the
/// program is parallel at all (not a failure of its own, but it never counts as a parallel success).
/// </summary>
public sealed class ExtractStage : IStage
{
    public ExperimentStage Stage => ExperimentStage.Extract;

    public Task<StepResult> RunAsync(StageContext context) => Task.FromResult(Extract(context));

    private static StepResult Extract(StageContext context)
    {
        var (spec, kernel, round) = (context.Spec, context.Kernel, context.Round);
        var answer = round.Answer ?? "";
        var technology = spec.Technology;
        if (technology == Technologies.Auto)
        {
            var chosen = TechnologyDetector.Detect(answer, kernel.Technologies);
            round = round with { Technology = chosen ?? technology };
            if (chosen is null)
            {
                return context.Fail(round, Verdict.NoCode, $"the answer does not say or show which of {string.Join(", ", kernel.Technologies)} it uses",
                    RepairFeedback.NoTechnology(kernel.Technologies));
            }

            technology = chosen;
        }
        else
        {
            round = round with { Technology = technology };
        }

        var suggestions = spec.Template?.Suggestions ?? 1;
        var extraction = CodeExtractor.Extract(answer, technology, kernel.Language, spec.Sample % suggestions, suggestions);
        round = round with { Files = [.. extraction.Files] };
        if (extraction.NoCodeReason is { } reason)
        {
            return context.Fail(round, Verdict.NoCode, reason, RepairFeedback.NoCode(reason));
        }

        var parallelism = ParallelismCheck.Check(round.Files, technology);
        return new StepResult(round with { Parallel = parallelism.IsParallel, Findings = [.. round.Findings, .. ErrorTaxonomy.ClassifyParallelism(parallelism)] });
    }
}
