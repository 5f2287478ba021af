using Kernelsmith.Agents.Node.Measurement;

namespace Kernelsmith.Agents.Node.Tests.Measurement;

public sealed class PairedSpeedupTests
{
    [Theory]
    [InlineData(6, 0, 5)]
    [InlineData(9, 1, 7)]
    [InlineData(20, 5, 14)]
    [InlineData(100, 39, 60)]
    public void MedianInterval_KnownSizes_AreTheSignTestRanks(int n, int lower, int upper)
    {
        Assert.Equal((lower, upper), PairedSpeedup.MedianInterval(n));
    }

    [Fact]
    public void MedianInterval_FivePairs_HasNo95PercentInterval()
    {
        Assert.Null(PairedSpeedup.MedianInterval(5));
    }

    [Fact]
    public void Estimate_CandidateTwiceAsFastEveryTime_IsTwoWithAnExactNarrowInterval()
    {
        double[] baseline = [1.0, 1.1, 0.9, 1.3, 1.0, 1.2, 1.05];
        var candidate = baseline.Select(t => t / 2).ToArray();

        var estimate = PairedSpeedup.Estimate(baseline, candidate);

        Assert.Equal(2.0, estimate.Speedup, 9);
        Assert.Equal(2.0, estimate.Low, 9);
        Assert.Equal(2.0, estimate.High, 9);
        Assert.True(estimate.Within(0.03));
    }

    [Fact]
    public void Estimate_DriftHittingBothRunsOfEachPair_CancelsOut()
    {
        // The machine slows down by up to 80 % over the measurement: each pair sees the same slowdown.
        var baseline = Enumerable.Range(0, 12).Select(i => 1.0 + 0.8 * i / 11).ToArray();
        var candidate = baseline.Select((t, i) => t * (i % 2 == 0 ? 1.01 : 0.99)).ToArray();

        var estimate = PairedSpeedup.Estimate(baseline, candidate);

        Assert.InRange(estimate.Speedup, 0.99, 1.011);
        Assert.InRange(1.0, estimate.Low, estimate.High);
        Assert.True(estimate.Within(0.03), $"half-width {estimate.HalfWidth}");
    }

    [Fact]
    public void Estimate_OneRunSlowedByANeighbour_DoesNotMoveTheSpeedup()
    {
        double[] baseline = [1, 1, 1, 1, 1, 1, 1, 1, 1];
        double[] candidate = [0.5, 0.5, 0.5, 0.5, 1.8, 0.5, 0.5, 0.5, 0.5];

        var estimate = PairedSpeedup.Estimate(baseline, candidate);

        Assert.Equal(2.0, estimate.Speedup, 9);
    }

    [Fact]
    public void Estimate_FewerThanSixPairs_IsNeverWithinPrecision()
    {
        double[] baseline = [1, 1, 1, 1, 1];

        var estimate = PairedSpeedup.Estimate(baseline, baseline);

        Assert.Equal(1.0, estimate.Speedup);
        Assert.False(estimate.Exact);
        Assert.False(estimate.Within(0.5));
    }

    [Fact]
    public void Estimate_UnpairedCounts_AreRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => PairedSpeedup.Estimate([1, 2], [1]));

        Assert.Contains("paired", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Estimate_IdentityUnderHeavyTailedNoise_IntervalCoversOneAtLeast93PercentOfTheTime()
    {
        // An unchanged program against itself on a noisy machine: lognormal jitter plus, one run in five, a
        // neighbour that slows it by up to 80 %. The interval must contain 1.0 about 95 % of the time.
        var random = new Random(13);
        double Run() => Math.Exp(0.05 * Gaussian(random)) * (random.NextDouble() < 0.2 ? 1 + 0.8 * random.NextDouble() : 1);
        var covered = 0;
        const int Trials = 2000;
        for (var trial = 0; trial < Trials; trial++)
        {
            var n = 6 + trial % 30;
            var baseline = Enumerable.Range(0, n).Select(_ => Run()).ToArray();
            var candidate = Enumerable.Range(0, n).Select(_ => Run()).ToArray();
            var estimate = PairedSpeedup.Estimate(baseline, candidate);
            covered += estimate.Low <= 1.0 && 1.0 <= estimate.High ? 1 : 0;
        }

        Assert.InRange(covered / (double)Trials, 0.93, 1.0);
    }

    [Fact]
    public void CoefficientOfVariation_KnownValues_IsSampleStandardDeviationOverMean()
    {
        Assert.Equal(0.0, PairedSpeedup.CoefficientOfVariation([2, 2, 2]));
        Assert.Equal(0.5, PairedSpeedup.CoefficientOfVariation([1, 2, 3]), 9);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
