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

/// <summary>A submitted sweep as the index lists it: what its progress does not say (name, submitter, when, models, budget).</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.SweepEntry")]
public sealed record SweepEntry(
    string SweepId,
    string Name,
    string Submitter,
    DateTimeOffset SubmittedAt,
    IReadOnlyList<ModelSpec> Models,
    BudgetSettings? Budget);
