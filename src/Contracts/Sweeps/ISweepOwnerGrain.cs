namespace Kernelsmith.Contracts.Sweeps;

/// <summary>Who submitted a sweep: the user who may cancel and resume it (besides an admin). Keyed by sweep id.</summary>
public interface ISweepOwnerGrain : IGrainWithStringKey
{
    /// <summary>Records <paramref name="user"/> as the submitter unless someone already is; returns the submitter.</summary>
    Task<string> ClaimAsync(string user);

    /// <summary>The submitter, or null for a sweep submitted before submitters were recorded.</summary>
    Task<string?> GetAsync();
}
