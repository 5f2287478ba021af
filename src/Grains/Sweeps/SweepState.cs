using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Kernels;

namespace Kernelsmith.Grains.Sweeps;

/// <summary>
/// A sweep's persisted state, small whatever the sweep's size and its kernels' (it is written for every record and
/// charge): its spec and what it needs of each kernel (the experiments are expanded from them on activation, never
/// stored), one bit per recorded experiment, how far the admission window has reached, and what was spent. The records
/// live in <see cref="SweepRecordsGrain"/> pages, the kernels in <see cref="KernelGrain"/>s. Ids 1 to 4 held the kernels,
/// experiments and records of earlier versions.
/// </summary>
[GenerateSerializer, Alias("Kernelsmith.SweepState")]
public sealed class SweepState
{
    [Id(0)] public SweepSpec? Spec { get; set; }
    [Id(12)] public Dictionary<string, SweepKernel> Kernels { get; set; } = [];
    [Id(5)] public long TokensSpent { get; set; }
    [Id(6)] public double CostSpent { get; set; }
    [Id(7)] public bool Cancelled { get; set; }

    /// <summary>Bit i is set once experiment i (in expansion order) is recorded.</summary>
    [Id(8)] public byte[] RecordedBits { get; set; } = [];

    /// <summary>Records counted so far: the next record's sequence number.</summary>
    [Id(9)] public int Recorded { get; set; }

    /// <summary>Experiments 0 .. Started - 1 have been admitted; the unrecorded ones among them are active.</summary>
    [Id(10)] public int Started { get; set; }

    [Id(11)] public Dictionary<Verdict, int> ByVerdict { get; set; } = [];
}
