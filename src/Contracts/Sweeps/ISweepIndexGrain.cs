namespace Kernelsmith.Contracts.Sweeps;

/// <summary>
/// The cluster's list of submitted sweeps, in submission order (a single grain, key 0): what the dashboard lists. A sweep
/// grain knows only itself, so without this nobody could say which sweeps exist.
/// </summary>
public interface ISweepIndexGrain : IGrainWithIntegerKey
{
    /// <summary>Adds a submitted sweep; adding one already listed keeps the first entry.</summary>
    Task AddAsync(SweepEntry entry);

    /// <summary>Returns every listed sweep, oldest first.</summary>
    Task<IReadOnlyList<SweepEntry>> ListAsync();
}

/// <summary>
/// A submitted sweep as the index lists it: what its progress does not say (name, submitter, when, its lists, budget).
/// <see cref="PerCell"/> is the experiments of one kernel x model x technology (prompts x samples).
/// </summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.SweepEntry")]
public sealed record SweepEntry(
    string SweepId,
    string Name,
    string Submitter,
    DateTimeOffset SubmittedAt,
    IReadOnlyList<string> Kernels,
    IReadOnlyList<ModelSpec> Models,
    IReadOnlyList<string> Technologies,
    int PerCell,
    BudgetSettings? Budget)
{
    /// <summary>The entry of a sweep submitted by <paramref name="submitter"/> now.</summary>
    public static SweepEntry Of(string sweepId, SweepSpec spec, string submitter, DateTimeOffset now) =>
        new(sweepId, spec.Name, submitter, now, spec.Kernels, spec.Models, spec.Technologies, spec.Prompts.Count * spec.Samples, spec.Budget);
}
