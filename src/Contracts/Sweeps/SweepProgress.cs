using Kernelsmith.Contracts.Experiments;

namespace Kernelsmith.Contracts.Sweeps;

/// <summary>
/// A snapshot of a sweep, cheap enough to poll. <see cref="Running"/> counts the experiments started and not yet
/// recorded: at most the sweep's admission window; the others wait their turn.
/// </summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.SweepProgress")]
public sealed record SweepProgress(
    string SweepId,
    int Total,
    int Recorded,
    int Running,
    IReadOnlyDictionary<Verdict, int> ByVerdict,
    bool Cancelled = false)
{
    /// <summary>What the sweep waits for: one line per technology no live agent offers (its experiments wait for one).</summary>
    [Id(100)]
    public IReadOnlyList<string> Waiting { get; init; } = [];

    public bool IsComplete => Total > 0 && Recorded == Total;
    public int Failed => Recorded - ByVerdict.GetValueOrDefault(Verdict.Correct);
}
