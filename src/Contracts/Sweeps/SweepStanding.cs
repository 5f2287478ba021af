namespace Kernelsmith.Contracts.Sweeps;

/// <summary>Where a sweep stands for its experiments: cancelled (they stop, keeping their state), and its budget used up (no more model calls).</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.SweepStanding")]
public sealed record SweepStanding(bool Cancelled, bool BudgetExhausted);
