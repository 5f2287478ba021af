using Microsoft.Extensions.Logging;
using StackExchange.Redis;

namespace Kernelsmith.Silo.Hosting;

/// <summary>
/// Holds the silo's start until Redis answers. Orleans gives up at once when its storage cannot reach Redis; a silo
/// restarted while Redis is restarting too (or a pod scheduled before Redis is ready) would exit instead of joining.
/// Registered before the silo, so it runs first.
/// </summary>
internal sealed partial class RedisReadiness(string configuration, TimeSpan patience, ILogger<RedisReadiness> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = true;
        options.ConnectTimeout = 2000;
        var deadline = DateTimeOffset.UtcNow + patience;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await ConnectionMultiplexer.ConnectAsync(options);
                await connection.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException e) when (DateTimeOffset.UtcNow < deadline)
            {
                LogWaiting(configuration, attempt, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
            catch (RedisConnectionException e)
            {
                throw new InvalidOperationException($"Redis at {configuration} did not answer within {patience.TotalSeconds:0} s: {e.Message}", e);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis at {Redis} is not reachable yet (attempt {Attempt}); the silo waits for it: {Problem}")]
    private partial void LogWaiting(string redis, int attempt, string problem);
}
