namespace Kernelsmith.Results.Reports;

/// <summary>
/// The estimators of the report, on plain numbers: pass@k (Chen et al. 2021), the expected best of k samples
/// behind speedup_n@k and efficiency_n@k (ParEval), fast_p (KernelBench) and the geometric mean of ratios.
/// </summary>
public static class Metrics
{
    /// <summary>
    /// The unbiased pass@k: the probability that a uniformly random k-subset of n samples, c of them good,
    /// holds at least one good one, 1 - C(n-c, k) / C(n, k), computed as a product so no binomial overflows.
    /// </summary>
    public static double PassAtK(int n, int c, int k)
    {
        CheckSamples(n, k);
        ArgumentOutOfRangeException.ThrowIfNegative(c);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(c, n);
        if (n - c < k)
        {
            return 1.0;
        }

        // C(n-c, k) / C(n, k) = prod_{i = n-c+1}^{n} (1 - k / i)
        var allBad = 1.0;
        for (var i = n - c + 1; i <= n; i++)
        {
            allBad *= 1.0 - ((double)k / i);
        }

        return 1.0 - allBad;
    }

    /// <summary>
    /// The expected maximum of a uniformly random k-subset of the values, exactly: with v sorted ascending,
    /// sum over i of v_(i) C(i-1, k-1) / C(n, k). Ties need no care: any order of equal values gives the same sum.
    /// </summary>
    public static double ExpectedMaxAtK(IReadOnlyList<double> values, int k)
    {
        CheckSamples(values.Count, k);
        var sorted = values.Order().ToArray();
        var n = sorted.Length;

        // The weight of the i-th smallest (1-based) is C(i-1, k-1) / C(n, k); the largest weighs k / n, and
        // each step down multiplies by (i - k) / (i - 1), which keeps every weight in [0, 1].
        var weight = (double)k / n;
        var sum = 0.0;
        for (var i = n; i >= k; i--)
        {
            sum += sorted[i - 1] * weight;
            weight = i > 1 ? weight * (i - k) / (i - 1) : 0;
        }

        return sum;
    }

    /// <summary>fast_p: the share of samples whose value (speedup, 0 when incorrect) is strictly above p.</summary>
    public static double FastP(IReadOnlyList<double> values, double p)
    {
        ArgumentOutOfRangeException.ThrowIfZero(values.Count);
        return (double)values.Count(v => v > p) / values.Count;
    }

    /// <summary>The geometric mean, the right average for ratios; null for no values.</summary>
    public static double? GeometricMean(IReadOnlyCollection<double> values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        if (values.Any(v => v <= 0))
        {
            throw new ArgumentOutOfRangeException(nameof(values), "a geometric mean needs positive values");
        }

        return Math.Exp(values.Average(Math.Log));
    }

    /// <summary>The median; null for no values.</summary>
    public static double? Median(IEnumerable<double> values)
    {
        var list = values.ToList();
        return list.Count == 0 ? null : Statistics.Median(list);
    }

    private static void CheckSamples(int n, int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, n);
    }
}
