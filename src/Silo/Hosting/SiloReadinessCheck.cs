using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;
using StackExchange.Redis;

namespace Kernelsmith.Silo.Hosting;

/// <summary>
/// Readiness of a silo: Orleans has joined its cluster (status Active) and, in a Redis-backed cluster, Redis answers
/// a ping: without it the silo can neither persist an experiment's step nor keep its membership.
/// </summary>
internal sealed class SiloReadinessCheck(ISiloStatusOracle membership, RedisPing? redis = null) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (membership.CurrentStatus != SiloStatus.Active)
        {
            return HealthCheckResult.Unhealthy($"the silo is {membership.CurrentStatus} in its cluster, not Active");
        }

        if (redis is not null && await redis.ProblemAsync() is { } problem)
        {
            return HealthCheckResult.Unhealthy(problem);
        }

        return HealthCheckResult.Healthy();
    }
}

/// <summary>Pings the cluster's Redis on a connection of its own, kept open between probes and reconnecting by itself.</summary>
internal sealed class RedisPing(string configuration) : IAsyncDisposable
{
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _connection;

    /// <summary>Null when Redis answered within 2 s; else what went wrong.</summary>
    public async Task<string?> ProblemAsync()
    {
        try
        {
            var connection = await ConnectAsync();
            await connection.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2));
            return null;
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return $"Redis at {configuration} does not answer: {e.Message}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _connecting.Dispose();
    }

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        if (_connection is { } existing)
        {
            return existing;
        }

        await _connecting.WaitAsync();
        try
        {
            if (_connection is null)
            {
                var options = ConfigurationOptions.Parse(configuration);
                // Connect even while Redis is down, and keep trying in the background: the next probe sees it come back.
                options.AbortOnConnectFail = false;
                options.ConnectTimeout = 2000;
                options.AsyncTimeout = 2000;
                _connection = await ConnectionMultiplexer.ConnectAsync(options);
            }

            return _connection;
        }
        finally
        {
            _connecting.Release();
        }
    }
}
