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
/// sequence number stored but never counted (the sweep's silo died in between) is simply stored again.
/// </summary>
public sealed class SweepRecordsGrain(
    [PersistentState("records", StorageNames.Sweeps)] IPersistentState<SweepRecordsPage> state) : Grain, ISweepRecordsGrain
{
    public const int Size = 256;

    private List<ExperimentRecord> Records => state.State.Records;

    /// <summary>The page that holds a sequence number.</summary>
    public static string Key(string sweepId, int sequence) => $"{sweepId}#{sequence / Size}";

    private int First => int.Parse(this.GetPrimaryKeyString().AsSpan(this.GetPrimaryKeyString().LastIndexOf('#') + 1), System.Globalization.CultureInfo.InvariantCulture) * Size;

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
