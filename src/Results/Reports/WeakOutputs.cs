using Kernelsmith.Contracts.Experiments;

namespace Kernelsmith.Results.Reports;

/// <summary>The report's warning about correct verdicts that rest on a weak reference output (see <see cref="OutputStrength"/>).</summary>
public static class WeakOutputs
{
    /// <summary>One sentence naming each kernel whose correct verdicts rest on a weak output, and why; null when none does.</summary>
    public static string? Note(IEnumerable<ExperimentRecord> records)
    {
        var weak = records
            .Where(r => r.Passed() && r.ReferenceOutput?.Weakness is not null)
            .GroupBy(r => r.Kernel, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => $"{g.Key} ({g.Count()} verdict{(g.Count() == 1 ? "" : "s")}: {g.First().ReferenceOutput!.Weakness})")
            .ToList();
        return weak.Count == 0 ? null
            : $"Weak verification: correct verdicts on {string.Join(", ", weak)} rest on an output that can hardly tell a wrong program "
              + "from a right one; print more of the result, or declare a checker (`check:` in kernel.yaml), before trusting them.";
    }
}
