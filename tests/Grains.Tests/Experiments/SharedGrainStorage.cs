using System.Collections.Concurrent;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;

namespace Kernelsmith.Grains.Tests.Experiments;

/// <summary>
/// Grain storage that outlives a silo: every in-process silo of the test cluster reads and writes one store, in Orleans'
/// binary format (as the Redis storage does), so a killed silo's grains come back on another from what they persisted.
/// </summary>
internal sealed class SharedGrainStorage(Serializer serializer) : IGrainStorage
{
    private static readonly ConcurrentDictionary<string, (byte[] State, string ETag)> s_store = new();

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (s_store.TryGetValue(Key(stateName, grainId), out var stored))
        {
            grainState.State = serializer.Deserialize<T>(stored.State);
            grainState.ETag = stored.ETag;
            grainState.RecordExists = true;
        }

        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = Key(stateName, grainId);
        var etag = Guid.NewGuid().ToString("n");
        var written = s_store.AddOrUpdate(
            key,
            _ => grainState.ETag is null ? (serializer.SerializeToArray(grainState.State), etag) : throw Conflict(key, grainState.ETag, null),
            (_, stored) => stored.ETag == grainState.ETag ? (serializer.SerializeToArray(grainState.State), etag) : throw Conflict(key, grainState.ETag, stored.ETag));
        grainState.ETag = written.ETag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        s_store.TryRemove(Key(stateName, grainId), out _);
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    private static string Key(string stateName, GrainId grainId) => $"{grainId}/{stateName}";

    private static InconsistentStateException Conflict(string key, string? expected, string? stored) =>
        new($"{key} was written by another activation", stored ?? "none", expected ?? "none");
}
