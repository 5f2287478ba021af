using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Experiments;

namespace Kernelsmith.Grains.Sweeps;

[GenerateSerializer, Alias("Kernelsmith.SweepOwner")]
public sealed class SweepOwner
{
    [Id(0)] public string? User { get; set; }
}

/// <summary>
/// The submitter of a sweep, kept apart from the sweep's own state: the first submission claims it, and a resubmission
/// of the same spec by someone else joins the sweep without taking it over.
/// </summary>
public sealed class SweepOwnerGrain(
    [PersistentState("owner", StorageNames.Sweeps)] IPersistentState<SweepOwner> state) : Grain, ISweepOwnerGrain
{
    public async Task<string> ClaimAsync(string user)
    {
        if (state.State.User is null)
        {
            state.State.User = user;
            await state.WriteStateAsync();
        }

        return state.State.User;
    }

    public Task<string?> GetAsync() => Task.FromResult(state.State.User);
}
