using System.Numerics;
using Kernelsmith.Results.Reports;

namespace Kernelsmith.Cli.Tests.Reports;

public sealed class MetricsTests
{
    [Theory]
    [InlineData(5, 2, 2, 0.7)] // 1 - C(3,2)/C(5,2) = 1 - 3/10
    [InlineData(3, 1, 2, 2.0 / 3)] // 1 - C(2,2)/C(3,2) = 1 - 1/3
    [InlineData(3, 2, 2, 1.0)] // fewer than k wrong samples: every pair holds a correct one
    [InlineData(3, 0, 1, 0.0)]
    [InlineData(10, 3, 1, 0.3)] // pass@1 is the plain share correct
    [InlineData(4, 4, 4, 1.0)]
    public void PassAtK_HandComputed_MatchesEstimator(int n, int c, int k, double expected)
    {
        Assert.Equal(expected, Metrics.PassAtK(n, c, k), 12);
    }

    [Fact]
    public void PassAtK_EverySmallCase_MatchesEnumerationOfAllKSubsets()
    {
        for (var n = 1; n <= 8; n++)
        {
            for (var c = 0; c <= n; c++)
            {
                for (var k = 1; k <= n; k++)
                {
                    // Samples 0..c-1 are the correct ones.
                    var subsets = Subsets(n, k).ToList();
                    var expected = (double)subsets.Count(s => s.Any(i => i < c)) / subsets.Count;

                    Assert.Equal(expected, Metrics.PassAtK(n, c, k), 12);
                }
            }
        }
    }

    [Fact]
    public void PassAtK_LargeN_StaysFiniteAndMatchesExactBinomials()
    {
        // C(200, 100) is about 9e58: the product form must not overflow or lose the answer.
        var exact = 1 - Math.Exp(BigInteger.Log(Binomial(150, 100)) - BigInteger.Log(Binomial(200, 100)));

        Assert.Equal(exact, Metrics.PassAtK(200, 50, 100), 12);
        Assert.Equal(0.001, Metrics.PassAtK(1000, 1, 1), 12);
    }

    [Theory]
    [InlineData(1, 1.75)] // the mean
    [InlineData(2, 2.5)] // pairs: {0,2} {0,2} {0,3} {2,2} {2,3} {2,3}: maxima sum to 15 over 6
    [InlineData(3, 2.75)] // triples: {0,2,2} {0,2,3} {0,2,3} {2,2,3}: 11 over 4
    [InlineData(4, 3.0)] // the maximum
    public void ExpectedMaxAtK_HandComputedWithTies_MatchesSubsetAverage(int k, double expected)
    {
        Assert.Equal(expected, Metrics.ExpectedMaxAtK([2.0, 0.0, 3.0, 2.0], k), 12);
    }

    [Fact]
    public void ExpectedMaxAtK_RandomValuesWithTies_MatchesBruteForceOverAllKSubsets()
    {
        var random = new Random(20261122);
        double[] pool = [0, 0, 1, 1.5, 2, 2, 3.25];
        for (var trial = 0; trial < 40; trial++)
        {
            var n = random.Next(1, 10);
            var values = Enumerable.Range(0, n).Select(_ => pool[random.Next(pool.Length)]).ToArray();
            for (var k = 1; k <= n; k++)
            {
                var subsets = Subsets(n, k).ToList();
                var expected = subsets.Average(s => s.Max(i => values[i]));

                Assert.Equal(expected, Metrics.ExpectedMaxAtK(values, k), 10);
            }
        }
    }

    [Fact]
    public void ExpectedMaxAtK_MoreSamplesThanK_NeverExceedsTheMaximumNorFallsBelowTheMean()
    {
        double[] values = [0, 0, 0, 5, 1, 1, 2];

        var atOne = Metrics.ExpectedMaxAtK(values, 1);
        var atThree = Metrics.ExpectedMaxAtK(values, 3);

        Assert.Equal(values.Average(), atOne, 12);
        Assert.InRange(atThree, atOne, values.Max());
    }

    [Fact]
    public void PassAtKAndExpectedMax_KAboveN_AreRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Metrics.PassAtK(2, 1, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Metrics.ExpectedMaxAtK([1.0, 2.0], 3));
    }

    [Fact]
    public void FastP_CountsOnlyStrictlyFasterSamples()
    {
        // 1.0 is as fast as sequential, not faster; the incorrect sample is 0.
        Assert.Equal(0.25, Metrics.FastP([0, 0.5, 1.0, 2.5], 1.0), 12);
        Assert.Equal(0.75, Metrics.FastP([0, 0.5, 1.0, 2.5], 0.0), 12);
    }

    [Fact]
    public void GeometricMeanAndMedian_HandComputed()
    {
        Assert.Equal(Math.Cbrt(0.36), Metrics.GeometricMean([0.75, 0.75, 0.64])!.Value, 12);
        Assert.Null(Metrics.GeometricMean([]));
        Assert.Equal(2.5, Metrics.Median([4.0, 1.0, 2.0, 3.0]));
        Assert.Equal(2.0, Metrics.Median([3.0, 1.0, 2.0]));
    }

    private static IEnumerable<int[]> Subsets(int n, int k)
    {
        for (var mask = 0; mask < 1 << n; mask++)
        {
            if (BitOperations.PopCount((uint)mask) == k)
            {
                yield return Enumerable.Range(0, n).Where(i => (mask & (1 << i)) != 0).ToArray();
            }
        }
    }

    private static BigInteger Binomial(int n, int k)
    {
        BigInteger result = 1;
        for (var i = 1; i <= k; i++)
        {
            result = result * (n - k + i) / i;
        }

        return result;
    }
}
