using System.Net;
using Kernelsmith.Contracts.Security;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Experiments;
using Kernelsmith.Grains.Llm;
using Kernelsmith.Grains.Scheduling;
using Kernelsmith.ServiceDefaults;
using Kernelsmith.ServiceDefaults.Security;
using Kernelsmith.Silo.Dashboard;
using Kernelsmith.Silo.Services;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
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
            builder.Services.AddSingleton(new RedisPing(redisToWaitFor));
        }

        var dashboardPort = builder.AddKernelsmithDashboard();
        builder.Services.AddSingleton(sp => new SiloReadinessCheck(sp.GetRequiredService<Orleans.Runtime.ISiloStatusOracle>(), sp.GetService<RedisPing>()));
        builder.Services.AddHealthChecks().AddCheck<SiloReadinessCheck>("silo", tags: [HealthEndpoints.ReadyTag]);

        builder.UseOrleans(silo =>
        {
            if (options.Redis is { } redis)
            {
                // A real cluster: membership, grain state and reminders in Redis, so a silo can die without loss.
                var connection = ConfigurationOptions.Parse(redis);
                if (options.Kubernetes)
                {
                    // The pod's name and IP as the silo's identity, and dead silos' pods deleted by the living ones.
                    silo.UseKubernetesHosting();
                }
                else
                {
                    silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
                }

                // After Kubernetes hosting, which would take them from pod labels: the silo's settings are the one source.
                silo.Configure<ClusterOptions>(cluster =>
                {
                    cluster.ClusterId = options.ClusterId;
                    cluster.ServiceId = options.ServiceId;
                });
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
            if (dashboardPort is not null)
            {
                // Grain statistics for the Orleans Dashboard mounted in the web dashboard (it profiles every grain call).
                silo.AddDashboard();
            }

            // Unfinished experiments are woken by a reminder after a silo dies; a minute would be a long wait.
            silo.Configure<ReminderOptions>(reminders => reminders.MinimumReminderPeriod = TimeSpan.FromSeconds(10));
            // Grain calls that wait on a reference run (builds plus timed repetitions) outlast Orleans' 30 s default.
            silo.Configure<SiloMessagingOptions>(messaging => messaging.ResponseTimeout = TimeSpan.FromMinutes(15));
        });

        // Grain state in Orleans' own binary format: the JSON default cannot read back the immutable collections
        // records are built with, and the binary form is smaller in Redis.
        builder.Services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IModelProvider, SimModel>();
        builder.Services.AddSingleton<IModelProvider, ReplayModel>();
        builder.Services.AddSingleton<IModelProvider, OpenAiModel>();
        builder.Services.AddOptions<ModelCredentials>()
            .Configure<IConfiguration>((credentials, configuration) => configuration.GetSection(ModelCredentials.Section).Bind(credentials.Named))
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ModelCredentials>, ModelCredentialsValidator>();
        builder.Services.AddSingleton<IResponseCache>(sp => new FileResponseCache(sp.GetRequiredService<IOptions<SiloOptions>>().Value.ResponseCache));
        builder.Services.AddExperiments();
        builder.AddPrometheusScrapeEndpoint();
        // Agents prove themselves with the cluster token alone; sweep API callers with it or a user's own token. The
        // health service stays open: probes carry no token.
        builder.Services.AddSingleton<ApiTokens>();
        builder.Services.AddSingleton<SweepApiAuthInterceptor>();
        builder.Services.AddSingleton<SweepReads>();
        builder.Services.AddSingleton<IValidateOptions<ClusterTokenOptions>, ApiUsersValidator>();
        builder.Services.AddOptions<ClusterTokenOptions>().ValidateOnStart();
        builder.Services.AddGrpc()
            .AddServiceOptions<AgentRegistryService>(grpc => grpc.Interceptors.Add<ClusterTokenInterceptor>())
            .AddServiceOptions<SweepApiService>(grpc =>
            {
                grpc.Interceptors.Add<SweepApiAuthInterceptor>();
                // A submission carries its kernels (sources and input files), beyond gRPC's default 4 MB.
                grpc.MaxReceiveMessageSize = SweepApiLimits.MaxMessageBytes;
            });
        builder.AddGrpcAndHealthEndpoints(dashboardPort is { } port ? [port] : []);
        return builder;
    }

    public static WebApplication MapKernelsmithSilo(this WebApplication app)
    {
        app.MapGrpcService<AgentRegistryService>();
        app.MapGrpcService<SweepApiService>();
        app.MapKernelsmithHealth();
        app.MapKernelsmithDashboard();
        return app;
    }
}
