using Kernelsmith.Contracts.Llm;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Cluster;
using Kernelsmith.Grains.Telemetry;
using Orleans.Runtime;

namespace Kernelsmith.Grains.Llm;

/// <summary>
/// The one way to a model: the response cache first, then the endpoint's cluster-wide quota and the sweep's budget,
/// then the provider. Cost is computed here from the model's prices and charged to the sweep before the quota slot
/// is given back; the charge that uses the budget up returns once every active experiment knows, so with a
/// concurrency of N a budget is overshot by at most N - 1 calls.
/// </summary>
public sealed class ModelGateway(IEnumerable<IModelProvider> providers, IGrainFactory grains, IResponseCache cache, ILocalSiloDetails silo)
{
    /// <summary>The longest one quota call waits before the caller asks again: a third of Orleans' default response timeout.</summary>
    private static readonly TimeSpan s_quotaWait = TimeSpan.FromSeconds(10);

    private readonly Dictionary<string, IModelProvider> _providers = providers.ToDictionary(p => p.Provider);

    /// <summary>Answers <paramref name="request"/>; <paramref name="withinBudget"/> (the sweep's word, as the experiment last heard it) is read once the quota's slot is held.</summary>
    public async Task<ModelAnswer> CompleteAsync(ModelRequest request, bool useCache, Func<bool> withinBudget, CancellationToken cancellationToken)
    {
        var model = request.Model;
        if (!_providers.TryGetValue(model.Provider, out var provider))
        {
            throw new ModelUnavailableException($"no provider '{model.Provider}' is configured on this silo");
        }

        // Simulated and replayed answers cost nothing to recompute; only real endpoints are cached. With a template that
        // asks for several suggestions, consecutive samples share one call: suggestion i of call j is sample j*n+i.
        var cacheKey = useCache && !model.IsOffline ? ResponseCacheKey.For(model, request.Conversation, request.Experiment.Sample / (request.Experiment.Template?.Suggestions ?? 1)) : null;
        if (cacheKey is not null && await cache.GetAsync(cacheKey, cancellationToken) is { } cached)
        {
            return cached with { Cached = true, CostUsd = 0 };
        }

        var quota = model.Limits is not null || !model.IsOffline ? grains.GetGrain<IModelQuotaGrain>(QuotaKey(model)) : null;
        var lease = Guid.NewGuid().ToString("n");
        if (quota is not null)
        {
            await AcquireSlotAsync(quota, lease, request.Experiment.SweepId, model, silo.SiloAddress, cancellationToken);
        }

        var sweep = grains.GetGrain<ISweepGrain>(request.Experiment.SweepId);
        ModelAnswer answer;
        long tokens = 0;
        var failed = true;
        try
        {
            if (!withinBudget())
            {
                throw new BudgetExhaustedException("the sweep's budget is used up; no further model calls were made");
            }

            answer = await ModelCallTelemetry.TraceAsync(request, () => provider.CompleteAsync(request, cancellationToken));
            answer = answer with { CostUsd = model.Prices?.Cost(answer.Tokens.Input, answer.Tokens.Output) };
            tokens = answer.Tokens.Input + answer.Tokens.Output;
            failed = false;
            await sweep.ChargeAsync(answer.Tokens, answer.CostUsd ?? 0);
        }
        catch (BudgetExhaustedException)
        {
            // No call was made: not the endpoint's failure.
            failed = false;
            throw;
        }
        finally
        {
            if (quota is not null)
            {
                await quota.ReleaseAsync(lease, tokens, failed);
            }
        }

        if (cacheKey is not null)
        {
            await cache.PutAsync(cacheKey, answer, cancellationToken);
        }

        return answer;
    }

    /// <summary>
    /// Waits in the quota's queue in slices well under Orleans' response timeout, keeping its place between slices. If
    /// the quota's silo dies, the grain comes back on another and the wait goes on there; if that keeps failing, the
    /// cluster's failure reaches the experiment, which waits for the cluster to recover. The slot is held in this
    /// silo's name: if this silo dies holding it, the quota takes it back.
    /// </summary>
    private static async Task AcquireSlotAsync(
        IModelQuotaGrain quota, string lease, string sweepId, ModelSpec model, SiloAddress holder, CancellationToken cancellationToken)
    {
        for (var lost = 1; ; )
        {
            try
            {
                if (await quota.AcquireAsync(lease, sweepId, model.EffectiveLimits, s_quotaWait, holder))
                {
                    return;
                }
            }
            catch (Exception e) when (ClusterFailures.IsTransient(e) && lost++ < 5)
            {
                await Task.Delay(TimeSpan.FromSeconds(lost), cancellationToken);
            }

            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    /// <summary>Quotas belong to an endpoint and model, whichever sweeps use them.</summary>
    public static string QuotaKey(ModelSpec model) =>
        model.IsOffline ? $"{model.Provider}:{model.Id}" : $"{model.Endpoint}|{model.Model}";
}
