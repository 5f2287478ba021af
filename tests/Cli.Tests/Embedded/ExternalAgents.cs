using Kernelsmith.Cli.Embedded;
using Kernelsmith.Cli.Tests.Telemetry;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Sweeps;

namespace Kernelsmith.Cli.Tests.Embedded;

/// <summary>Sweeps on an embedded silo whose agents are processes of their own, as on real nodes, driven through its sweep API.</summary>
internal static class ExternalAgents
{
    /// <summary>Waits until an agent of every pool has registered; fails with the agents' output when one does not.</summary>
    public static async Task WaitForPoolsAsync(EmbeddedCluster cluster, IReadOnlyList<AgentProcess> agents, params string[] pools)
    {
        // An agent's start-up builds and runs a test program with every toolchain it may offer: slow on a loaded
        // machine, and it measures nothing here.
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
        while ((await EmbeddedSweepApi.AgentsAsync(cluster)).Select(a => a.Pool).ToHashSet() is var live && !pools.All(live.Contains))
        {
            Assert.True(DateTime.UtcNow < deadline,
                $"pools {string.Join(", ", pools.Except(live))} did not register within 3 minutes:\n{string.Join("\n---\n", agents.Select(a => a.Output))}");
            await Task.Delay(250);
        }
    }

    /// <summary>Submits the sweep of a spec file to the cluster and returns its records once every experiment has one.</summary>
    public static async Task<IReadOnlyList<ExperimentRecord>> RunSweepAsync(EmbeddedCluster cluster, string specFile)
    {
        var catalog = KernelCatalog.Load([Repository.Kernels]);
        var spec = SweepSpecLoader.Load(specFile, catalog);
        var sweep = await EmbeddedSweepApi.SubmitAsync(cluster, spec, [.. spec.Kernels.Select(id => catalog.TryGet(id, out var kernel) ? kernel : throw new KeyNotFoundException(id))]);
        return await EmbeddedSweepApi.WatchAsync(cluster, sweep, TimeSpan.FromMinutes(5));
    }
}
