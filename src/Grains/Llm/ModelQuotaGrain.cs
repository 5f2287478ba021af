using Kernelsmith.Contracts.Llm;
using Kernelsmith.Contracts.Sweeps;
using Orleans.Concurrency;
using Orleans.Runtime;

namespace Kernelsmith.Grains.Llm;

/// <summary>
/// Concurrency, requests-per-minute and tokens-per-minute limits for one endpoint. A caller without a slot waits in
/// this grain (it is reentrant: waiting calls interleave) and is granted the slot the moment one is released, instead
/// of polling. Waiters are served round-robin across sweeps. A lease is held by a silo: once the cluster declares that
/// silo dead its leases are reclaimed (the next time a waiter looks, at most one wait slice later), so a killed silo
/// does not keep its slots for the longest possible call; a lease whose holder is unknown is reclaimed after that long.
/// Waiters that stop coming back lose their place.
/// </summary>
[Reentrant]
public sealed class ModelQuotaGrain(TimeProvider clock, IClusterMembershipService membership) : Grain, IModelQuotaGrain
{
    private static readonly TimeSpan s_window = TimeSpan.FromMinutes(1);

    /// <summary>A waiter whose wait ended without a slot asks again at once; one not back within this long is gone.</summary>
    private static readonly TimeSpan s_returnGrace = TimeSpan.FromSeconds(5);

    private readonly Dictionary<string, (DateTimeOffset At, SiloAddress? Holder)> _leases = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Waiter> _waiters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, LinkedList<Waiter>> _queues = new(StringComparer.Ordinal);
    private readonly Queue<string> _turns = new();
    private readonly Queue<DateTimeOffset> _requests = new();
    private readonly Queue<(DateTimeOffset At, long Tokens)> _tokens = new();
    private ModelLimits _limits = ModelLimits.Default;
    private DateTimeOffset? _wakeAt;
    private int _peak;
    private long _calls;
    private long _failed;
    private long _rateLimitWaits;

    public async Task<bool> AcquireAsync(string leaseId, string sweepId, ModelLimits limits, TimeSpan maxWait, SiloAddress? holder = null)
    {
        _limits = limits;
        var deadline = clock.GetUtcNow() + maxWait;
        if (_leases.ContainsKey(leaseId))
        {
            return true;
        }

        if (!_waiters.TryGetValue(leaseId, out var waiter))
        {
            waiter = new Waiter(leaseId, holder);
            _waiters[leaseId] = waiter;
            if (!_queues.TryGetValue(sweepId, out var queue))
            {
                _queues[sweepId] = queue = new LinkedList<Waiter>();
                _turns.Enqueue(sweepId);
            }

            queue.AddLast(waiter);
        }

        waiter.Listening++;
        try
        {
            Grant(clock.GetUtcNow());
            while (!waiter.Granted.Task.IsCompleted && clock.GetUtcNow() is var now && now < deadline)
            {
                await Task.WhenAny(waiter.Granted.Task, Task.Delay(deadline - now, clock));
                // Stale leases are only noticed when someone looks: a waiter that wakes up looks.
                Grant(clock.GetUtcNow());
            }

            return waiter.Granted.Task.IsCompleted;
        }
        finally
        {
            waiter.Listening--;
            waiter.Seen = clock.GetUtcNow();
        }
    }

    public Task ReleaseAsync(string leaseId, long tokens, bool failed = false)
    {
        if (_leases.Remove(leaseId))
        {
            _calls++;
            _failed += failed ? 1 : 0;
        }

        if (tokens > 0)
        {
            _tokens.Enqueue((clock.GetUtcNow(), tokens));
        }

        Grant(clock.GetUtcNow());
        return Task.CompletedTask;
    }

    public Task<QuotaUsage> GetUsageAsync() => Task.FromResult(new QuotaUsage(_leases.Count, _peak, _waiters.Count)
    {
        Calls = _calls,
        Failed = _failed,
        RateLimitWaits = _rateLimitWaits,
        RateLimitedUntil = _wakeAt,
    });

    /// <summary>Hands free slots to waiters, one sweep's turn after another, as far as the limits allow.</summary>
    private void Grant(DateTimeOffset now)
    {
        Forget(now);
        while (_leases.Count < _limits.Concurrency && _waiters.Count > 0)
        {
            if (RateLimitedUntil(now) is { } until)
            {
                // Nobody may be listening when the window frees up: wake up then to hand out the slot.
                if (_wakeAt is null || until < _wakeAt)
                {
                    _rateLimitWaits += _wakeAt is null ? 1 : 0;
                    _wakeAt = until;
                    _ = WakeAsync(until);
                }

                return;
            }

            if (NextWaiter(now) is not { } waiter)
            {
                return;
            }

            _waiters.Remove(waiter.LeaseId);
            _leases[waiter.LeaseId] = (now, waiter.Holder);
            _requests.Enqueue(now);
            _peak = Math.Max(_peak, _leases.Count);
            waiter.Granted.TrySetResult();
        }
    }

    private async Task WakeAsync(DateTimeOffset at)
    {
        await Task.Delay(at - clock.GetUtcNow() is { Ticks: > 0 } wait ? wait : TimeSpan.Zero, clock);
        if (_wakeAt == at)
        {
            _wakeAt = null;
        }

        Grant(clock.GetUtcNow());
    }

    /// <summary>
    /// The first waiter still listening in the next sweep's queue; that sweep goes to the back of the turns. Waiters
    /// between two of their calls keep their place; those gone longer than the grace are dropped.
    /// </summary>
    private Waiter? NextWaiter(DateTimeOffset now)
    {
        for (var turns = _turns.Count; turns > 0; turns--)
        {
            var sweep = _turns.Dequeue();
            var queue = _queues[sweep];
            Waiter? chosen = null;
            for (var node = queue.First; node is not null && chosen is null;)
            {
                var next = node.Next;
                if (node.Value.Listening > 0)
                {
                    chosen = node.Value;
                    queue.Remove(node);
                }
                else if (now - node.Value.Seen > s_returnGrace)
                {
                    _waiters.Remove(node.Value.LeaseId);
                    queue.Remove(node);
                }

                node = next;
            }

            if (queue.Count > 0)
            {
                _turns.Enqueue(sweep);
            }
            else
            {
                _queues.Remove(sweep);
            }

            if (chosen is not null)
            {
                return chosen;
            }
        }

        return null;
    }

    private DateTimeOffset? RateLimitedUntil(DateTimeOffset now)
    {
        if (_limits.RequestsPerMinute is { } rpm && _requests.Count >= rpm)
        {
            return _requests.Peek() + s_window;
        }

        if (_limits.TokensPerMinute is { } tpm && _tokens.Sum(t => t.Tokens) >= tpm)
        {
            return _tokens.Peek().At + s_window;
        }

        return null;
    }

    private void Forget(DateTimeOffset now)
    {
        while (_requests.Count > 0 && now - _requests.Peek() >= s_window)
        {
            _requests.Dequeue();
        }

        while (_tokens.Count > 0 && now - _tokens.Peek().At >= s_window)
        {
            _tokens.Dequeue();
        }

        // A lease held by a dead silo, or older than the longest possible call, belongs to a caller that is gone.
        var stale = TimeSpan.FromSeconds(_limits.TimeoutSeconds * (_limits.MaxRetries + 1) + 60);
        var cluster = membership.CurrentSnapshot;
        foreach (var lease in _leases.Where(l => now - l.Value.At > stale || l.Value.Holder is { } silo && cluster.GetSiloStatus(silo) == SiloStatus.Dead)
            .Select(l => l.Key).ToList())
        {
            _leases.Remove(lease);
        }
    }

    /// <summary>A caller waiting for a slot: <see cref="Listening"/> counts its calls in progress.</summary>
    private sealed class Waiter(string leaseId, SiloAddress? holder)
    {
        public string LeaseId { get; } = leaseId;

        public SiloAddress? Holder { get; } = holder;

        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Listening { get; set; }

        public DateTimeOffset Seen { get; set; }
    }
}
