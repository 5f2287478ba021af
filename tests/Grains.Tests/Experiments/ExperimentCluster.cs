using Kernelsmith.Grains.Experiments;
using Kernelsmith.Grains.Experiments.Stages;
using Kernelsmith.Grains.Llm;
using Kernelsmith.Grains.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Kernelsmith.Grains.Tests.Experiments;

/// <summary>
/// An in-process cluster (one silo; a test may add more) with the real sweep, experiment and reference grains, the fake agent and the
/// scripted (and simulated) model as their ports, and storage every silo shares. Tests keep apart by using sweeps of their own.
/// </summary>
public sealed class ExperimentCluster : IAsyncLifetime
{
    public TestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.GrainFactory;

    /// <summary>The first silo's own services: what a test reaches inside the silo (its directory, its gateway, its grain factory).</summary>
    public IServiceProvider PrimaryServices => ((InProcessSiloHandle)Cluster.Primary!).SiloHost.Services;

    public async Task InitializeAsync()
    {
        var builder = new TestClusterBuilder(1);
        builder.AddSiloBuilderConfigurator<Silos>();
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    private sealed class Silos : ISiloConfigurator
    {
        public void Configure(ISiloBuilder silo)
        {
            silo.UseInMemoryReminderService();
            // Experiments land on any silo, so a test can find one on a silo it is about to kill.
            silo.Services.AddSingleton<PlacementStrategy, RandomPlacement>();
            silo.Configure<ReminderOptions>(reminders => reminders.MinimumReminderPeriod = TimeSpan.FromSeconds(10));
            foreach (var name in new[] { StorageNames.Experiments, StorageNames.Sweeps })
            {
                silo.Services.AddKeyedSingleton<IGrainStorage>(name, (services, _) => new SharedGrainStorage(services.GetRequiredService<Serializer>()));
            }

            silo.Services.AddSingleton(TimeProvider.System);
            silo.Services.AddSingleton<IJobRunner, FakeAgent>();
            silo.Services.AddSingleton<IModelProvider, ScriptedModel>();
            silo.Services.AddSingleton<IModelProvider, SimModel>();
            silo.Services.AddSingleton<IResponseCache, NoResponseCache>();
            silo.Services.AddExperiments();
        }
    }

    private sealed class NoResponseCache : IResponseCache
    {
        public Task<ModelAnswer?> GetAsync(string key, CancellationToken cancellationToken) => Task.FromResult<ModelAnswer?>(null);

        public Task PutAsync(string key, ModelAnswer answer, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class ExperimentClusterCollection : ICollectionFixture<ExperimentCluster>
{
    public const string Name = "experiment cluster";
}
