using Kernelsmith.Cli.Commands;
using Kernelsmith.Cli.Embedded;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Protos;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Results;

namespace Kernelsmith.Cli.Tests.Embedded;

/// <summary>
/// An embedded cluster seen as <c>kernelsmith run</c> sees it: through its sweep API with the one-time admin token
/// (<see cref="EmbeddedCluster.Connect"/>), never through its grains.
/// </summary>
internal static class EmbeddedSweepApi
{
    /// <summary>The live agents, as <c>kernelsmith agents</c> lists them.</summary>
    public static async Task<IReadOnlyList<AgentSummary>> AgentsAsync(EmbeddedCluster cluster)
    {
        using var client = cluster.Connect();
        var list = await client.CallAsync(async c => await c.ListAgentsAsync(new ListAgentsRequest()), CancellationToken.None);
        return list.Agents;
    }

    /// <summary>Submits a validated sweep as the embedded runner does (a prepared sweep); returns its id.</summary>
    public static async Task<string> SubmitAsync(EmbeddedCluster cluster, SweepSpec spec, IReadOnlyList<KernelDefinition> kernels)
    {
        using var client = cluster.Connect();
        var reply = await client.CallAsync(
            async c => await c.SubmitAsync(new SubmitRequest { Prepared = cluster.Serialize(new PreparedSweep(spec, kernels, [])) }), CancellationToken.None);
        return reply.SweepId;
    }

    /// <summary>The sweep's status, as <c>kernelsmith status</c> shows it.</summary>
    public static async Task<SweepStatus> StatusAsync(EmbeddedCluster cluster, string sweepId)
    {
        using var client = cluster.Connect();
        return await client.CallAsync(async c => await c.StatusAsync(new SweepRef { SweepId = sweepId }), CancellationToken.None);
    }

    /// <summary>
    /// Watches the sweep until every experiment has its record, as <c>kernelsmith watch</c> does (the records written to
    /// a results directory of their own, removed afterwards); fails when it does not finish within <paramref name="patience"/>.
    /// </summary>
    public static async Task<IReadOnlyList<ExperimentRecord>> WatchAsync(EmbeddedCluster cluster, string sweepId, TimeSpan patience)
    {
        using var client = cluster.Connect();
        using var timeout = new CancellationTokenSource(patience);
        var results = new ResultsDirectory(Directory.CreateTempSubdirectory("kernelsmith-watch-").FullName);
        try
        {
            return await new SweepWatch(client, sweepId, results, []).RunAsync(follow: true, timeout.Token);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            var status = await StatusAsync(cluster, sweepId);
            Assert.Fail($"sweep {sweepId} did not finish within {patience}: {status.Recorded}/{status.Total} recorded, waiting for [{string.Join("; ", status.Waiting)}]");
            throw;
        }
        finally
        {
            Directory.Delete(results.Path, recursive: true);
        }
    }
}
