using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Contracts.Experiments;

/// <summary>
/// A node's bias and noise: the unchanged sequential reference timed against itself, paired, at one count. A perfect
/// node gives a speedup of 1.0 inside a narrow interval after few pairs; <see cref="PairedTiming.Noisy"/> says it could
/// not reach the precision asked.
/// </summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.Calibration")]
public sealed record Calibration(string AgentId, string Kernel, string Input, int Threads, PairedTiming Timing)
{
    /// <summary>The interval's larger side relative to the speedup (0.03 = the node can tell 3 % apart).</summary>
    public double HalfWidth => Timing.SpeedupCi is [var low, var high] && low > 0 && Timing.Speedup > 0
        ? Math.Max(high / Timing.Speedup, Timing.Speedup / low) - 1
        : double.PositiveInfinity;
}

/// <summary>Calibrates agents: one call measures one agent at one count (a call may take minutes).</summary>
public interface ICalibrationGrain : IGrainWithStringKey
{
    /// <summary>Times the kernel's sequential reference against itself at 1 thread and at <paramref name="threads"/> cores on the agent.</summary>
    Task<Calibration> CalibrateAsync(KernelDefinition kernel, RunSettings run, string agentId, int threads);
}
