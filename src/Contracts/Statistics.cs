namespace Kernelsmith;

/// <summary>The one median of the code base: timings on the agent, references in the grains, report figures in the results.</summary>
public static class Statistics
{
    /// <summary>The middle value, or the mean of the two middle values; <paramref name="values"/> must not be empty.</summary>
    public static double Median(IReadOnlyList<double> values)
    {
        ArgumentOutOfRangeException.ThrowIfZero(values.Count);
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
