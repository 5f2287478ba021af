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
        var program = ProgramMerge.Merge(extraction.Files, kernel.Sources);
        round = round with
        {
            Files = extraction.HasCode ? [.. program.Files] : [],
            ChangedFiles = extraction.HasCode ? [.. program.Changed] : [],
            ExtractLog = ExtractLog(extraction.HasCode ? program.Log : [], extraction.Dropped),
        };
        if (extraction.NoCodeReason is { } reason && !(reason == CodeExtractor.NoMain && program.HasMain))
        {
            return context.Fail(round, Verdict.NoCode, reason, RepairFeedback.NoCode(reason));
        }

        var parallelism = ParallelismCheck.Check(round.Files, technology);
        return new StepResult(round with { Parallel = parallelism.IsParallel, Findings = [.. round.Findings, .. ErrorTaxonomy.ClassifyParallelism(parallelism)] });
    }

    private static string ExtractLog(IReadOnlyList<string> built, IReadOnlyList<string> dropped)
    {
        var log = new List<string>();
        if (built.Count > 0)
        {
            log.Add("files built:");
            log.AddRange(built.Select(line => "  " + line));
        }

        if (dropped.Count > 0)
        {
            log.Add("blocks of the answer not taken:");
            log.AddRange(dropped.Select(line => "  " + line));
        }

        return log.Count == 0 ? "" : string.Join('\n', log) + "\n";
    }
}
