using Kernelsmith.Contracts.Llm;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Grains.Llm;

/// <summary>
/// Concurrency, requests-per-minute and tokens-per-minute limits for one endpoint. Leases of callers that
/// died are reclaimed after a while, so a crashed silo cannot hold slots for ever.
/// </summary>
public sealed class ModelQuotaGrain(TimeProvider clock) : Grain, IModelQuotaGrain
{
    private static readonly TimeSpan s_window = TimeSpan.FromMinutes(1);
    private readonly Dictionary<string, DateTimeOffset> _leases = new(StringComparer.Ordinal);
    private readonly Queue<DateTimeOffset> _requests = new();
    private readonly Queue<(DateTimeOffset At, long Tokens)> _tokens = new();
    private int _peak;

    public Task<TimeSpan> TryAcquireAsync(string leaseId, ModelLimits limits)
    {
        var now = clock.GetUtcNow();
        Forget(now, limits);
        if (_leases.ContainsKey(leaseId))
        {
            return Task.FromResult(TimeSpan.Zero);
        }

        if (_leases.Count >= limits.Concurrency)
        {
            return Task.FromResult(TimeSpan.FromMilliseconds(200));
        }

        if (limits.RequestsPerMinute is { } rpm && _requests.Count >= rpm)
        {
            return Task.FromResult(_requests.Peek() + s_window - now);
        }

        if (limits.TokensPerMinute is { } tpm && _tokens.Sum(t => t.Tokens) >= tpm)
        {
            return Task.FromResult(_tokens.Peek().At + s_window - now);
        }

        _leases[leaseId] = now;
        _requests.Enqueue(now);
        _peak = Math.Max(_peak, _leases.Count);
        return Task.FromResult(TimeSpan.Zero);
    }

    public Task ReleaseAsync(string leaseId, long tokens)
    {
        _leases.Remove(leaseId);
        if (tokens > 0)
        {
            _tokens.Enqueue((clock.GetUtcNow(), tokens));
        }

        return Task.CompletedTask;
    }

    public Task<(int InFlight, int Peak)> GetUsageAsync() => Task.FromResult((_leases.Count, _peak));

    private void Forget(DateTimeOffset now, ModelLimits limits)
    {
        while (_requests.Count > 0 && now - _requests.Peek() >= s_window)
        {
            _requests.Dequeue();
        }

        while (_tokens.Count > 0 && now - _tokens.Peek().At >= s_window)
        {
            _tokens.Dequeue();
        }

        // A lease older than the longest possible call belongs to a caller that is gone.
        var stale = TimeSpan.FromSeconds(limits.TimeoutSeconds * (limits.MaxRetries + 1) + 60);
        foreach (var lease in _leases.Where(l => now - l.Value > stale).Select(l => l.Key).ToList())
        {
            _leases.Remove(lease);
        }
    }
}
