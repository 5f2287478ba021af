using Kernelsmith.Contracts.Experiments;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Kernelsmith.Grains.Experiments;

/// <summary>
/// The attempts of recorded experiments (every closed round: prompt, answer, files, logs, verdict, feedback), written
/// once, when the experiment records, and read by every client. They go to the experiments' grain storage under the
/// experiment's id, straight through the storage provider: a client reading a hundred records' attempts makes a
/// hundred storage reads, not a hundred grain activations.
/// </summary>
public sealed class AttemptStore([FromKeyedServices(StorageNames.Experiments)] IGrainStorage storage)
{
    public const string StateName = "attempts";

    private static readonly GrainType s_type = GrainType.Create("kernelsmith-attempts");

    /// <summary>Stores the attempts; written again (the experiment recorded again after its silo died), they replace the first.</summary>
    public async Task WriteAsync(string experimentId, IReadOnlyList<Attempt> attempts)
    {
        var id = Id(experimentId);
        var state = new GrainState<RecordedAttempts>(new RecordedAttempts { Attempts = [.. attempts] });
        try
        {
            await storage.WriteStateAsync(StateName, id, state);
        }
        catch (InconsistentStateException)
        {
            var stored = new GrainState<RecordedAttempts>(new RecordedAttempts());
            await storage.ReadStateAsync(StateName, id, stored);
            state.ETag = stored.ETag;
            await storage.WriteStateAsync(StateName, id, state);
        }
    }

    /// <summary>The experiment's attempts, oldest first; none for an experiment not recorded.</summary>
    public async Task<IReadOnlyList<Attempt>> ReadAsync(string experimentId)
    {
        var stored = new GrainState<RecordedAttempts>(new RecordedAttempts());
        await storage.ReadStateAsync(StateName, Id(experimentId), stored);
        return stored.State?.Attempts ?? [];
    }

    private static GrainId Id(string experimentId) => GrainId.Create(s_type, experimentId);
}

/// <summary>What <see cref="AttemptStore"/> keeps per experiment.</summary>
[GenerateSerializer, Alias("Kernelsmith.RecordedAttempts")]
public sealed class RecordedAttempts
{
    [Id(0)] public List<Attempt> Attempts { get; set; } = [];
}
