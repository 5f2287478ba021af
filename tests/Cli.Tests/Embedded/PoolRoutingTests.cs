using Kernelsmith.Cli.Embedded;
using Kernelsmith.Cli.Tests.Cluster;
using Kernelsmith.Cli.Tests.Telemetry;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Cli.Tests.Embedded;

/// <summary>
/// Two agent processes in two pools on loopback: <c>multicore</c> offers only OpenMP, <c>mpi</c> offers OpenMP and
/// MPI. Three sweeps run on them: one unpinned over both technologies, and one pinned to each pool.
/// </summary>
public sealed class PoolRoutingFixture : IAsyncLifetime
{
    public const string Multicore = "multicore";
    public const string Mpi = "mpi";

    public IReadOnlyList<ExperimentRecord> Unpinned { get; private set; } = [];

    public IReadOnlyList<ExperimentRecord> PinnedToMulticore { get; private set; } = [];

    public IReadOnlyList<ExperimentRecord> PinnedToMpi { get; private set; } = [];

    /// <summary>The agents as the cluster listed them (<c>kernelsmith agents</c>) after the sweeps.</summary>
    public IReadOnlyList<AgentSummary> Agents { get; private set; } = [];

    public async Task InitializeAsync()
    {
        var work = ClusterFixture.EnterableDirectory();
        await using var cluster = await EmbeddedCluster.StartAsync(work, CancellationToken.None, startAgent: false);
        var environment = new Dictionary<string, string> { ["Cluster__Token"] = cluster.Token };
        await using var multicore = AgentProcess.Start(cluster.SiloUrl, Multicore, "mc-agent", Path.Combine(work, "mc"), environment, "--technologies", "openmp");
        await using var mpi = AgentProcess.Start(cluster.SiloUrl, Mpi, "mpi-agent", Path.Combine(work, "mpi"), environment);
        await ExternalAgents.WaitForPoolsAsync(cluster, [multicore, mpi], Multicore, Mpi);

        Unpinned = await ExternalAgents.RunSweepAsync(cluster, await SpecAsync(work, "unpinned", "[openmp, mpi]", ""));
        PinnedToMulticore = await ExternalAgents.RunSweepAsync(cluster, await SpecAsync(work, "on-multicore", "[openmp]", $"pools: {{ openmp: [{Multicore}] }}"));
        PinnedToMpi = await ExternalAgents.RunSweepAsync(cluster, await SpecAsync(work, "on-mpi", "[openmp]", $"pools: {{ openmp: [{Mpi}] }}"));
        Agents = await EmbeddedSweepApi.AgentsAsync(cluster);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private static async Task<string> SpecAsync(string work, string name, string technologies, string pools)
    {
        var path = Path.Combine(work, name + ".yaml");
        await File.WriteAllTextAsync(path, $$"""
            name: {{name}}
            kernels: [gemm]
            technologies: {{technologies}}
            models:
              - { id: expert, provider: sim, behaviour: expert }
            samples: 2
            {{pools}}
            verify: { sanitizers: [] }
            run: { input: tiny, threads: [1, 2], ranks: [1, 2], repetitions: 2, timeout: 30, max_pairs: 1, warmups: 0, expert: false }
            """);
        return path;
    }
}

public sealed class PoolRoutingTests(PoolRoutingFixture sweeps) : IClassFixture<PoolRoutingFixture>
{
    [Fact]
    public void Register_Agents_ReportWhatTheyOfferTheirHardwareAndSanitizers()
    {
        var multicore = sweeps.Agents.Single(a => a.AgentId == "mc-agent");
        var mpi = sweeps.Agents.Single(a => a.AgentId == "mpi-agent");

        Assert.Equal(["openmp"], multicore.Technologies);
        Assert.Equal(["mpi", "openmp"], mpi.Technologies.Order(StringComparer.Ordinal));
        Assert.All(sweeps.Agents, a => Assert.Contains("socket(s) x", a.Hardware, StringComparison.Ordinal));
        Assert.All(sweeps.Agents, a => Assert.Contains("NUMA node(s)", a.Hardware, StringComparison.Ordinal));
        Assert.All(sweeps.Agents, a => Assert.Equal(["memory", "thread"], a.Sanitizers.Order(StringComparer.Ordinal)));
        Assert.All(sweeps.Agents, a => Assert.True(a.BusyCores >= 0 && a.QueuedJobs >= 0));
    }

    [Fact]
    public void Route_MpiWork_GoesOnlyToTheAgentThatHasMpi()
    {
        var mpi = sweeps.Unpinned.Where(r => r.Technology == "mpi").ToList();

        Assert.Equal(2, mpi.Count);
        Assert.All(mpi, r => Assert.Equal(Verdict.Correct, r.Verdict));
        Assert.All(mpi.SelectMany(r => r.Jobs), job => Assert.Equal("mpi-agent", job.Agent));
    }

    [Fact]
    public void Route_PinnedTechnology_RunsOnlyInItsPool()
    {
        Assert.Equal(2, sweeps.PinnedToMulticore.Count);
        Assert.Equal(2, sweeps.PinnedToMpi.Count);
        Assert.All(sweeps.PinnedToMulticore.Concat(sweeps.PinnedToMpi), r => Assert.Equal(Verdict.Correct, r.Verdict));
        Assert.All(sweeps.PinnedToMulticore.SelectMany(r => r.Jobs), job => Assert.Equal("mc-agent", job.Agent));
        Assert.All(sweeps.PinnedToMpi.SelectMany(r => r.Jobs), job => Assert.Equal("mpi-agent", job.Agent));
        Assert.All(sweeps.PinnedToMulticore, r => Assert.Equal("mc-agent", r.Provenance.Agent));
    }

    [Fact]
    public void Timeline_EveryJob_IsRecordedWithItsQueueStartAndFinish()
    {
        var jobs = All().SelectMany(r => r.Jobs).ToList();

        Assert.Contains(jobs, j => j.Kind == "build");
        // Timing is a paired measurement (reference and candidate in turn) that owns the node.
        Assert.Contains(jobs, j => j is { Kind: "measure", Exclusive: true });
        // The amplified inputs are correctness runs: untimed, they need not own the node.
        Assert.Contains(jobs, j => j is { Kind: "run", Exclusive: false });
        Assert.All(jobs, j => Assert.True(j.QueuedUnixMs > 0 && j.QueuedUnixMs <= j.StartedUnixMs && j.StartedUnixMs <= j.FinishedUnixMs, $"{j.Job}: {j}"));
        Assert.All(jobs.Where(j => !j.Cached), j => Assert.NotEmpty(j.Cores));
        // The second sample's build is the first's: the agent answers it from its artifact cache.
        Assert.Contains(jobs, j => j is { Kind: "build", Cached: true });
    }

    [Fact]
    public void Timeline_TimingRun_SharesItsAgentWithNoOtherJob()
    {
        // A build answered from the artifact cache ran nothing and held no core.
        var jobs = All().SelectMany(r => r.Jobs).Where(j => !j.Cached).ToList();
        var timing = jobs.Where(j => j.Exclusive).ToList();

        foreach (var run in timing)
        {
            var overlapping = jobs.Where(j => j != run && j.Agent == run.Agent && j.StartedUnixMs < run.FinishedUnixMs && run.StartedUnixMs < j.FinishedUnixMs).ToList();
            Assert.True(overlapping.Count == 0, $"{run.Job} [{run.StartedUnixMs}, {run.FinishedUnixMs}] on {run.Agent} overlapped {string.Join(", ", overlapping.Select(j => $"{j.Job} [{j.StartedUnixMs}, {j.FinishedUnixMs}]"))}");
        }

        // Not vacuous: some job arrived while a timing run held its agent, and waited for it to finish.
        Assert.Contains(jobs, j => timing.Any(run => run != j && run.Agent == j.Agent
            && j.QueuedUnixMs > run.StartedUnixMs && j.QueuedUnixMs < run.FinishedUnixMs && j.StartedUnixMs >= run.FinishedUnixMs));
    }

    private IEnumerable<ExperimentRecord> All() => sweeps.Unpinned.Concat(sweeps.PinnedToMulticore).Concat(sweeps.PinnedToMpi);
}
