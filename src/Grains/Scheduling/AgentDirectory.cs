using Kernelsmith.Contracts.Agents;

namespace Kernelsmith.Grains.Scheduling;

/// <summary>
/// This silo's list of live agents, pushed by the registry on every change (a join, a heartbeat, an agent dropped), so
/// choosing an agent for a job is a local read. The subscription is renewed every <see cref="Renewal"/> when read (the
/// registry's activation may have moved with a dead silo); a caller that finds no agent fit asks again with
/// <c>refresh</c>, which reads the registry itself.
/// </summary>
public sealed class AgentDirectory(IGrainFactory grains, TimeProvider clock) : IAgentDirectoryObserver
{
    /// <summary>How long the registry keeps telling a directory that did not subscribe again.</summary>
    public static readonly TimeSpan SubscriptionLifetime = TimeSpan.FromMinutes(1);

    /// <summary>How often a directory that is read subscribes again, reading the whole list.</summary>
    public static readonly TimeSpan Renewal = TimeSpan.FromSeconds(20);

    private readonly Lock _gate = new();
    private IAgentDirectoryObserver? _reference;
    private IReadOnlyList<AgentInfo> _live = [];
    private DateTimeOffset _renewed = DateTimeOffset.MinValue;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The live agents: as last told, or read from the registry when the subscription is due or <paramref name="refresh"/>.</summary>
    public async Task<IReadOnlyList<AgentInfo>> LiveAsync(bool refresh = false)
    {
        var now = clock.GetUtcNow();
        if (refresh || now - _renewed > Renewal)
        {
            // Orleans refuses to create an object reference on a grain's scheduler, where a stage reads this from.
            _reference ??= await Task.Run(() => grains.CreateObjectReference<IAgentDirectoryObserver>(this));
            Update(await grains.GetGrain<IAgentRegistryGrain>(0).SubscribeAsync(_reference));
            _renewed = now;
        }

        // An agent that stopped heartbeating changes nothing the registry would tell: it ages out here as there.
        return [.. _live.Where(a => now - a.LastHeartbeat < AgentRegistryGrain.Liveness)];
    }

    /// <summary>Completes when the list next changes, or after <paramref name="patience"/>.</summary>
    public async Task ChangedAsync(TimeSpan patience, CancellationToken cancellationToken)
    {
        Task changed;
        lock (_gate)
        {
            changed = _changed.Task;
        }

        await Task.WhenAny(changed, Task.Delay(patience, clock, cancellationToken));
        cancellationToken.ThrowIfCancellationRequested();
    }

    public void AgentsChanged(IReadOnlyList<AgentInfo> live) => Update(live);

    private void Update(IReadOnlyList<AgentInfo> live)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _live = live;
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
