namespace Kernelsmith.Agents.Node.Measurement;

/// <summary>
/// A speedup and its 95 % interval from paired runs. <see cref="HalfWidth"/> is the interval's larger side relative to
/// the estimate (0.03 = the true speedup is within 3 % of the estimate, at 95 %); <see cref="Exact"/> is false when
/// there were too few pairs for a 95 % interval, and the interval is then only the range of the ratios seen.
/// </summary>
public sealed record SpeedupEstimate(double Speedup, double Low, double High, int Pairs, bool Exact)
{
    public double HalfWidth => Speedup > 0 && Low > 0 ? Math.Max(High / Speedup, Speedup / Low) - 1 : double.PositiveInfinity;

    /// <summary>Whether the estimate is sure enough: a real 95 % interval no wider than <paramref name="precision"/> either side.</summary>
    public bool Within(double precision) => Exact && HalfWidth <= precision;
}

/// <summary>
/// The statistics of a paired measurement. Each pair (one baseline run, one candidate run, back to back in a random
/// order) gives a ratio baseline / candidate; the speedup is the median of the ratios (computed on their logarithms,
/// so 2x faster and 2x slower weigh alike), and its interval the distribution-free 95 % interval of a median: the
/// order statistics the sign test gives. No normality, no symmetry: a run slowed down by a neighbour is an outlier
/// that moves the median by one rank at most. See docs/measurement.md.
/// </summary>
public static class PairedSpeedup
{
    /// <summary>The fewest pairs for which a distribution-free 95 % interval of a median exists (1 - 2/2^6 = 96.9 %).</summary>
    public const int MinimumPairs = 6;

    /// <summary>The median ratio <paramref name="baseline"/>[i] / <paramref name="candidate"/>[i] and its 95 % interval.</summary>
    public static SpeedupEstimate Estimate(IReadOnlyList<double> baseline, IReadOnlyList<double> candidate)
    {
        if (baseline.Count != candidate.Count)
        {
            throw new ArgumentException($"{baseline.Count} baseline times but {candidate.Count} candidate times: the runs must be paired");
        }

        var logs = baseline.Zip(candidate).Where(p => p.First > 0 && p.Second > 0).Select(p => Math.Log(p.First / p.Second)).Order().ToArray();
        if (logs.Length == 0)
        {
            return new SpeedupEstimate(0, 0, 0, 0, false);
        }

        var speedup = Math.Exp(Median(logs));
        if (MedianInterval(logs.Length) is not { } interval)
        {
            return new SpeedupEstimate(speedup, Math.Exp(logs[0]), Math.Exp(logs[^1]), logs.Length, false);
        }

        return new SpeedupEstimate(speedup, Math.Exp(logs[interval.Lower]), Math.Exp(logs[interval.Upper]), logs.Length, true);
    }

    /// <summary>
    /// The 0-based ranks (in sorted order) bounding a 95 % interval of the median of <paramref name="n"/> values: the
    /// largest k with P(Binomial(n, 1/2) &lt; k) &lt;= 2.5 %, giving [x(k), x(n-k+1)]; null when n is too small.
    /// </summary>
    public static (int Lower, int Upper)? MedianInterval(int n)
    {
        // P(B = i) for B ~ Binomial(n, 1/2), accumulated from i = 0 in log space: n may be in the hundreds.
        var logHalfToTheN = n * Math.Log(0.5);
        var logChoose = 0.0;
        var below = 0.0;
        var k = 0;
        for (var i = 0; i <= n / 2; i++)
        {
            if (i > 0)
            {
                logChoose += Math.Log(n - i + 1) - Math.Log(i);
            }

            var next = below + Math.Exp(logChoose + logHalfToTheN);
            if (next > 0.025)
            {
                break;
            }

            below = next;
            k = i + 1;
        }

        return k == 0 ? null : (k - 1, n - k);
    }

    /// <summary>Standard deviation over mean: how much single runs vary (0.05 = runs spread by about 5 %).</summary>
    public static double CoefficientOfVariation(IReadOnlyList<double> values)
    {
        if (values.Count < 2)
        {
            return 0;
        }

        var mean = values.Average();
        var variance = values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
        return mean > 0 ? Math.Sqrt(variance) / mean : 0;
    }

    /// <summary>The median, 0 for no values (a measurement with no run).</summary>
    public static double Median(IReadOnlyList<double> values) => values.Count == 0 ? 0 : Statistics.Median(values);
}
