using Kernelsmith.Contracts.Experiments;

namespace Kernelsmith.Results.Reports;

/// <summary>
/// The metrics of one group of records (a model x technology, or a kernel x model x technology). A problem is a
/// kernel x prompt; its samples are the group's records for it. The @k metrics are computed per problem over its n
/// samples and averaged over problems (as ParEval does), and are undefined (null) when a problem has fewer than k
/// samples. Infrastructure failures are left out everywhere, tokens and cost excepted: those were spent.
/// </summary>
public sealed record GroupMetrics(
    int Experiments,
    int InfraErrors,
    int Problems,
    int Built,
    int Passed,
    IReadOnlyDictionary<int, double?> BuildAtK,
    IReadOnlyDictionary<int, double?> PassAtK,
    int Count,
    IReadOnlyDictionary<int, double?> SpeedupNAtK,
    IReadOnlyDictionary<int, double?> EfficiencyNAtK,
    IReadOnlyDictionary<int, double?> SpeedupMaxAtK,
    double? Fast1,
    double? Fast2,
    double? ExpertRatio,
    int ExpertCompared,
    int PassedFirstRound,
    IReadOnlyDictionary<int, int> RepairedAfter,
    long Tokens,
    double? TokensPerCorrect,
    double? CostPerCorrect)
{
    /// <summary>Computes a group's metrics; <paramref name="count"/> is the thread/rank count n of speedup_n@k.</summary>
    public static GroupMetrics Compute(IReadOnlyCollection<ExperimentRecord> group, IReadOnlyList<int> ks, int count, ExpertBaseline expert)
    {
        var counted = group.Where(r => r.CountsAgainstModel()).ToList();
        var problems = counted.GroupBy(r => (r.Kernel, r.Prompt)).Select(g => g.ToList()).ToList();

        IReadOnlyDictionary<int, double?> AtK(Func<List<ExperimentRecord>, int, double> perProblem) =>
            ks.ToDictionary(k => k, k => problems.Count == 0 || problems.Any(p => p.Count < k)
                ? (double?)null
                : problems.Average(p => perProblem(p, k)));

        double? Fast(double p) => problems.Count == 0 ? null : problems.Average(s => Metrics.FastP(s.Select(r => r.BestSpeedup()).ToList(), p));

        var ratios = counted.Select(expert.RatioFor).OfType<double>().ToList();
        var passed = counted.Count(r => r.Passed());
        var tokens = group.Sum(r => r.Tokens.Input + r.Tokens.Output);
        var costKnown = group.Count > 0 && group.All(r => r.CostUsd is not null);
        var speedupN = AtK((p, k) => Metrics.ExpectedMaxAtK(p.Select(r => r.SpeedupAt(count)).ToList(), k));
        return new GroupMetrics(
            counted.Count,
            group.Count - counted.Count,
            problems.Count,
            counted.Count(r => r.Built()),
            passed,
            AtK((p, k) => Metrics.PassAtK(p.Count, p.Count(r => r.Built()), k)),
            AtK((p, k) => Metrics.PassAtK(p.Count, p.Count(r => r.Passed()), k)),
            count,
            speedupN,
            speedupN.ToDictionary(e => e.Key, e => e.Value / count),
            AtK((p, k) => Metrics.ExpectedMaxAtK(p.Select(r => r.BestSpeedup()).ToList(), k)),
            Fast(1),
            Fast(2),
            Metrics.GeometricMean(ratios),
            ratios.Count,
            counted.Count(r => r.Passed() && r.Rounds == 1),
            counted.Where(r => r.Repaired()).GroupBy(r => r.Rounds - 1).ToDictionary(g => g.Key, g => g.Count()),
            tokens,
            passed > 0 ? (double)tokens / passed : null,
            passed > 0 && costKnown ? group.Sum(r => r.CostUsd!.Value) / passed : null);
    }

    public int Repaired => RepairedAfter.Values.Sum();
}
