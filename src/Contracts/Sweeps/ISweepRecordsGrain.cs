using Kernelsmith.Contracts.Experiments;

namespace Kernelsmith.Contracts.Sweeps;

/// <summary>
/// One page of a sweep's final records, in recording order. Recording writes one page, never the sweep's whole
/// history, so a sweep of thousands of experiments does not rewrite everything it recorded at every record.
/// </summary>
public interface ISweepRecordsGrain : IGrainWithStringKey
{
    /// <summary>Stores the record with this sequence number (the next one, or one the sweep never counted).</summary>
    Task PutAsync(int sequence, ExperimentRecord record);

    /// <summary>Returns up to <paramref name="max"/> records of this page from sequence number <paramref name="from"/>.</summary>
    Task<IReadOnlyList<ExperimentRecord>> GetAsync(int from, int max);
}
