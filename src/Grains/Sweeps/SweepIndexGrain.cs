using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Experiments;

namespace Kernelsmith.Grains.Sweeps;

[GenerateSerializer, Alias("Kernelsmith.SweepIndex")]
public sealed class SweepIndex
{
    [Id(0)] public List<SweepEntry> Entries { get; set; } = [];
}

/// <summary>The list of submitted sweeps, persisted with the sweeps' own state.</summary>
public sealed class SweepIndexGrain(
    [PersistentState("index", StorageNames.Sweeps)] IPersistentState<SweepIndex> state) : Grain, ISweepIndexGrain
{
    public async Task AddAsync(SweepEntry entry)
    {
        if (state.State.Entries.Any(e => e.SweepId == entry.SweepId))
        {
            return;
        }

        state.State.Entries.Add(entry);
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<SweepEntry>> ListAsync() => Task.FromResult<IReadOnlyList<SweepEntry>>([.. state.State.Entries]);
}
