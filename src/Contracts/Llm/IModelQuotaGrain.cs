using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Contracts.Llm;

/// <summary>
/// One model endpoint's quota, enforced cluster-wide because the grain is a single activation:
/// concurrent calls, requests per minute and tokens per minute.
/// </summary>
public interface IModelQuotaGrain : IGrainWithStringKey
{
    /// <summary>Takes a slot for a call; returns zero when granted, otherwise how long to wait before asking again.</summary>
    Task<TimeSpan> TryAcquireAsync(string leaseId, ModelLimits limits);

    /// <summary>Gives the slot back and counts the tokens the call used.</summary>
    Task ReleaseAsync(string leaseId, long tokens);

    /// <summary>Calls in flight now and the most seen at once: what the limit tests check.</summary>
    Task<(int InFlight, int Peak)> GetUsageAsync();
}
