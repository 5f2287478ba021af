using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Experiments;

namespace Kernelsmith.Grains.Sweeps;

/// <summary>A page of a sweep's records: sequence numbers from the page's first on, without gaps.</summary>
[GenerateSerializer, Alias("Kernelsmith.SweepRecordsPage")]
public sealed class SweepRecordsPage
{
    [Id(0)] public List<ExperimentRecord> Records { get; set; } = [];
}

/// <summary>
/// Up to <see cref="Size"/> final records of a sweep. The sweep counts a record only after its page stored it, so a
/// sequence number stored but never counted (the sweep's silo died in between) is simply stored again. A page is written
/// while it fills and read by each watch once or twice after; idle for two minutes it leaves memory (not after the
/// default quarter of an hour), so a silo running a sweep of 100,000 experiments does not hold every record it made.
/// </summary>
[CollectionAgeLimit(Minutes = 2)]
public sealed class SweepRecordsGrain(
    [PersistentState("records", StorageNames.Sweeps)] IPersistentState<SweepRecordsPage> state) : Grain, ISweepRecordsGrain
{
    /// <summary>
    /// Records a page holds. The whole page is written for every record added, so a small page keeps a sweep's writes
    /// to storage near one record each (256 made a 1,000-experiment sweep write 118 MB to Redis, 32 makes it 43 MB).
    /// </summary>
    public const int Size = 32;

    private List<ExperimentRecord> Records => state.State.Records;

    /// <summary>
    /// The page that holds a sequence number: <c>SWEEP#32xN</c>. The page size is in the key, so pages written by a
    /// version with another size (<c>SWEEP#N</c> held 256) are never read as if they held these records.
    /// </summary>
    public static string Key(string sweepId, int sequence) => $"{sweepId}#{Size}x{sequence / Size}";

    private int First => int.Parse(this.GetPrimaryKeyString().AsSpan(this.GetPrimaryKeyString().LastIndexOf('x') + 1), System.Globalization.CultureInfo.InvariantCulture) * Size;

    public async Task PutAsync(int sequence, ExperimentRecord record)
    {
        var slot = sequence - First;
        if (slot < 0 || slot >= Size || slot > Records.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(sequence), $"record page '{this.GetPrimaryKeyString()}' holds {Records.Count} records from {First}: {sequence} is not the next");
        }

        if (slot == Records.Count)
        {
            Records.Add(record);
        }
        else
        {
            Records[slot] = record;
        }

        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<ExperimentRecord>> GetAsync(int from, int max)
    {
        var slot = Math.Clamp(from - First, 0, Records.Count);
        IReadOnlyList<ExperimentRecord> page = Records.Skip(slot).Take(Math.Max(0, max)).ToList();
        return Task.FromResult(page);
    }
}
