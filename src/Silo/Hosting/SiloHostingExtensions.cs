using Kernelsmith.Grains.Experiments;
using Kernelsmith.Grains.Llm;
using Kernelsmith.Grains.Scheduling;
using Kernelsmith.ServiceDefaults;
using Kernelsmith.Contracts.Security;
using Kernelsmith.Silo.Services;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using System.Net;
using Orleans.Configuration;
using Orleans.Storage;
using StackExchange.Redis;

namespace Kernelsmith.Silo.Hosting;

public static class SiloHostingExtensions
{
    /// <summary>
    /// Adds an Orleans silo with the experiment grains and their services, and the gRPC agent registry.
    /// This slice clusters on localhost with in-memory storage (the embedded mode).
    /// </summary>
    public static IHostApplicationBuilder AddKernelsmithSilo(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<SiloOptions>().BindConfiguration(SiloOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<SiloOptions>, SiloOptionsValidator>();
        var options = builder.Configuration.GetSection(SiloOptions.Section).Get<SiloOptions>() ?? new SiloOptions();

        if (options.Redis is { } redisToWaitFor)
        {
            builder.Services.AddHostedService(sp => new RedisReadiness(redisToWaitFor, TimeSpan.FromMinutes(2), sp.GetRequiredService<ILogger<RedisReadiness>>()));
        }

        builder.UseOrleans(silo =>
        {
            if (options.Redis is { } redis)
            {
                // A real cluster: membership, grain state and reminders in Redis, so a silo can die without loss.
                var connection = ConfigurationOptions.Parse(redis);
                silo.Configure<ClusterOptions>(cluster =>
                {
                    cluster.ClusterId = options.ClusterId;
                    cluster.ServiceId = options.ServiceId;
                });
                silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
                silo.UseRedisClustering(redisOptions => redisOptions.ConfigurationOptions = connection);
                silo.AddRedisGrainStorage(StorageNames.Experiments, storage => storage.ConfigurationOptions = connection);
                silo.AddRedisGrainStorage(StorageNames.Sweeps, storage => storage.ConfigurationOptions = connection);
                silo.UseRedisReminderService(reminders => reminders.ConfigurationOptions = connection);
            }
            else
            {
                silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
                silo.AddMemoryGrainStorage(StorageNames.Experiments);
                silo.AddMemoryGrainStorage(StorageNames.Sweeps);
                silo.UseInMemoryReminderService();
            }

            silo.AddActivityPropagation();
            // Unfinished experiments are woken by a reminder after a silo dies; a minute would be a long wait.
            silo.Configure<ReminderOptions>(reminders => reminders.MinimumReminderPeriod = TimeSpan.FromSeconds(10));
            // Grain calls that wait on a reference run (builds plus timed repetitions) outlast Orleans' 30 s default.
            silo.Configure<SiloMessagingOptions>(messaging => messaging.ResponseTimeout = TimeSpan.FromMinutes(15));
        });

        // Grain state in Orleans' own binary format: the JSON default cannot read back the immutable collections
        // records are built with, and the binary form is smaller in Redis.
        builder.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<JobDispatcher>();
        builder.Services.AddSingleton<SpeedupMeasurer>();
        builder.Services.AddSingleton<IModelProvider, SimModel>();
        builder.Services.AddSingleton<IModelProvider, ReplayModel>();
        builder.Services.AddSingleton<IModelProvider, OpenAiModel>();
        builder.Services.AddSingleton<IResponseCache>(sp => new FileResponseCache(sp.GetRequiredService<IOptions<SiloOptions>>().Value.ResponseCache));
        builder.Services.AddSingleton<ModelGateway>();
        builder.AddPrometheusScrapeEndpoint();
        builder.Services.AddGrpc().AddServiceOptions<AgentRegistryService>(grpc => grpc.Interceptors.Add<ClusterTokenInterceptor>());
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
            kestrel.ConfigureEndpointDefaults(endpoint => endpoint.Protocols = HttpProtocols.Http2));
        return builder;
    }

    public static WebApplication MapKernelsmithSilo(this WebApplication app)
    {
        app.MapGrpcService<AgentRegistryService>();
        app.MapGrpcService<SweepApiService>();
        app.MapKernelsmithHealth();
        return app;
    }
}
