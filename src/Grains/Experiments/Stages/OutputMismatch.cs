using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Grains.Verification;

namespace Kernelsmith.Grains.Experiments.Stages;

/// <summary>The one wrong-output check of the Verify and Amplify stages.</summary>
public static class OutputMismatch
{
    /// <summary>
    /// The wrong-output verdict when the outputs (repetitions of one configuration) differ from the reference or from
    /// each other; the feedback is <paramref name="problem"/> followed by the first difference. Null when they match.
    /// </summary>
    public static StepResult? Check(StageContext context, Round round, string reference, IReadOnlyList<string> outputs, OutputComparison compare, string where, string problem)
    {
        var findings = ErrorTaxonomy.ClassifyOutputs(reference, outputs, compare, where);
        if (findings.Count == 0)
        {
            return null;
        }

        var detail = OutputComparer.Compare(reference, outputs[0], compare).Detail;
        // The reason names the configuration once and the first difference, so that each configuration's outcome says what was wrong.
        var message = Text.Clip(string.Join(' ', findings[0].Message.Split('\n').Take(2)), 300);
        return context.Fail(round, Verdict.WrongOutput, message.StartsWith(where, StringComparison.Ordinal) ? message : $"{where}: {message}",
            RepairFeedback.OutputMismatch(problem, detail.Length > 0 ? detail : findings[0].Message), findings);
    }
}
