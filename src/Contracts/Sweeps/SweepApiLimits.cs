namespace Kernelsmith.Contracts.Sweeps;

/// <summary>What the sweep API's client and server agree on beyond the proto.</summary>
public static class SweepApiLimits
{
    /// <summary>The largest message either side takes: a submission with its kernels' input files, a record with its rounds' logs.</summary>
    public const int MaxMessageBytes = 64 << 20;
}
