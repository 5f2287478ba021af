using Kernelsmith.Contracts.Sweeps;
using Orleans.Runtime;

namespace Kernelsmith.Contracts.Llm;

/// <summary>
/// One model endpoint's quota, enforced cluster-wide because the grain is a single activation: concurrent calls,
/// requests per minute and tokens per minute. Callers that find no free slot wait in the grain's queue, and waiting
/// sweeps take turns, so a small sweep is not starved behind a large one that queued first.
/// </summary>
public interface IModelQuotaGrain : IGrainWithStringKey
{
    /// <summary>
    /// Waits in the queue for a call slot, at most <paramref name="maxWait"/>; true once granted. False means ask again
    /// at once: the caller keeps its place, and the bounded wait keeps each call well under Orleans' response timeout.
    /// <paramref name="holder"/> is the caller's silo: when the cluster declares it dead, its slot is given back.
    /// </summary>
    Task<bool> AcquireAsync(string leaseId, string sweepId, ModelLimits limits, TimeSpan maxWait, SiloAddress? holder = null);

    /// <summary>
    /// Gives the slot back and counts the tokens the call used, and whether it <paramref name="failed"/> (the endpoint
    /// refused or did not answer); the next waiter gets the slot at once.
    /// </summary>
    Task ReleaseAsync(string leaseId, long tokens, bool failed = false);

    /// <summary>Calls in flight now, the most seen at once, the callers waiting for a slot, and what calls ended how.</summary>
    Task<QuotaUsage> GetUsageAsync();
}

/// <summary>A model quota's use: calls in flight, the most seen at once (never above the limit), callers queued.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.QuotaUsage")]
public sealed record QuotaUsage(int InFlight, int Peak, int Waiting)
{
    /// <summary>Calls that ended (their slot given back) since the quota's activation.</summary>
    [Id(3)] public long Calls { get; init; }

    /// <summary>Of <see cref="Calls"/>, those that failed: the endpoint refused the call or did not answer.</summary>
    [Id(4)] public long Failed { get; init; }

    /// <summary>Times a free slot was held back because the requests- or tokens-per-minute limit was reached.</summary>
    [Id(5)] public long RateLimitWaits { get; init; }

    /// <summary>When the per-minute limits next let a call through, while they hold one back; null otherwise.</summary>
    [Id(6)] public DateTimeOffset? RateLimitedUntil { get; init; }
}
