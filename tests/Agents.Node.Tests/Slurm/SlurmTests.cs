using Kernelsmith.Agents.Node.Execution;
using Kernelsmith.Agents.Node.Jobs;
using Kernelsmith.Agents.Node.Hosting;
using Kernelsmith.Agents.Node.Tests.Execution;
using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Tests.Slurm;

/// <summary>
/// Agents on a "login node" of a real single-node Slurm, submitting with srun and with sbatch --wait. MPI runs use
/// MPICH through Slurm's PMI-2 plugin: Open MPI's PMIx client needs a TCP connection to slurmstepd, which the
/// sandbox's private network cannot make.
/// </summary>
[Collection(SlurmCollection.Name)]
public sealed class SlurmTests(SlurmFixture fixture)
{
    [Theory]
    [InlineData(SlurmLauncher.Srun, "mpicc.mpich")]
    [InlineData(SlurmLauncher.Sbatch, "mpicc.mpich")]
    // What sweeps ask for: whichever MPI the plain wrapper belongs to here, a Slurm agent builds with MPICH.
    [InlineData(SlurmLauncher.Srun, "mpicc")]
    public async Task Run_MpichAtTwoRanks_RunsEachRankAsATaskOfOneSlurmJob(string submit, string compiler)
    {
        var agent = fixture.Agent(submit);
        var build = await agent.BuildAsync("slurm_ranks", compiler, []);
        Assert.True(build.ArtifactId.Length > 0, build.Stderr.ToStringUtf8());
        Assert.Contains("MPICH 4", build.Toolchain);

        var call = await agent.RunAsync(MpiJob(build.ArtifactId, 2, 60_000));

        Assert.True(call.Result.Status == JobResult.Types.Status.Exited && call.Result.ExitCode == 0,
            $"{call.Result.Status} {call.Result.ExitCode} {call.Result.Message}\n{call.Result.Stderr.ToStringUtf8()}\n{call.Stdout}");
        Assert.Contains("size 2 sum 3\n", call.Stdout);
        var ranks = call.Stdout.Split('\n').Where(l => l.StartsWith("rank ", StringComparison.Ordinal)).Select(l => l.Split(' ')).ToList();
        Assert.Equal(2, ranks.Count);
        // Both ranks ran in the same Slurm job, as its tasks 0 and 1.
        var job = Assert.Single(ranks.Select(r => r[3]).Distinct());
        Assert.True(int.TryParse(job, out _), $"SLURM_JOB_ID was '{job}'");
        Assert.Equal(["0", "1"], ranks.Select(r => r[5]).Order(StringComparer.Ordinal));
        Assert.All(ranks, r => Assert.Equal(r[1], r[5]));
        // Each task started the sandbox: the program works in its /sandbox, not in the directory srun was given.
        Assert.All(ranks, r => Assert.Equal(Sandbox.InsidePath, r[7]));
    }

    [Theory]
    [InlineData(SlurmLauncher.Srun)]
    [InlineData(SlurmLauncher.Sbatch)]
    public async Task Run_HangInCollective_IsCancelledAtTheLimitLeavingNoJobAndNoProcess(string submit)
    {
        var agent = fixture.Agent(submit);
        var marker = $"ks-marker-{Guid.NewGuid():n}";
        var job = MpiJob(await agent.BuildProgramAsync("mpi_hang", "mpicc.mpich"), 2, 4_000);
        job.Args.Add(marker);

        var call = await agent.RunAsync(job);

        // MPICH's ranks spin while they wait: on a quiet machine the test agent's 3 s CPU limit can come before the
        // 4 s wall-clock one. Either way the job was killed at its limit, which the pipeline records as a timeout.
        Assert.True(call.Result.Status == JobResult.Types.Status.TimedOut || call.Result is { Status: JobResult.Types.Status.KilledByLimit, Limit: "cpu" },
            $"{call.Result.Status} {call.Result.Limit} {call.Result.Message}");
        Assert.InRange(call.Result.WallSeconds, 2.5, 40);
        Assert.Equal(2, call.Stdout.Split('\n').Count(l => l.EndsWith(" waiting", StringComparison.Ordinal)));
        Assert.Equal("", await fixture.Cluster.QueueAsync());
        await HostileProgramTests.AssertGoneAsync(marker);
    }

    [Fact]
    public async Task Run_OpenMpThroughSrun_IsOneTaskWithACpuPerThread()
    {
        var agent = fixture.Agent(SlurmLauncher.Srun);
        var job = AgentHost.Job(await agent.BuildProgramAsync("slurm_task"), 30_000);
        job.Threads = 2;

        var call = await agent.RunAsync(job);

        Assert.Equal(0, call.Result.ExitCode);
        Assert.Matches(@"^job \d+ cpus-per-task 2 threads 2\n$", call.Stdout);
    }

    [Fact]
    public async Task Run_ThroughSrunWithPrelude_SeesWhatThePreludeSet()
    {
        var site = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"kernelsmith-site-{Guid.NewGuid():n}")).FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(site, "env.sh"), "export KS_SITE_GREETING=hello-from-the-cluster\n");
            await using var agent = await fixture.StartAgentAsync(SlurmLauncher.Srun, new Dictionary<string, string?>
            {
                [$"{AgentOptions.Section}:Prelude"] = $"source {site}/env.sh",
                [$"{AgentOptions.Section}:ReadOnlyPaths:0"] = site,
            });

            var call = await agent.RunAsync(await agent.BuildProgramAsync("prelude_env"), 30_000);

            Assert.Equal(0, call.Result.ExitCode);
            Assert.Equal("greeting: hello-from-the-cluster\n", call.Stdout);
        }
        finally
        {
            Directory.Delete(site, recursive: true);
        }
    }

    [Fact]
    public async Task Run_OpenMpiBuildThroughSlurm_IsRefusedSayingWhy()
    {
        var agent = fixture.Agent(SlurmLauncher.Srun);

        var call = await agent.RunAsync(MpiJob(await agent.BuildProgramAsync("slurm_ranks", "mpicc.openmpi"), 2, 30_000));

        Assert.Equal(JobResult.Types.Status.AgentError, call.Result.Status);
        Assert.Contains("need an MPICH build (srun --mpi=pmi2)", call.Result.Message);
        Assert.Equal("", await fixture.Cluster.QueueAsync());
    }

    [Fact]
    public async Task Run_WhileTheNodeIsBusy_WaitsInTheQueueWithoutSpendingItsTime()
    {
        var agent = fixture.Agent(SlurmLauncher.Srun);
        var artifact = await agent.BuildProgramAsync("slurm_task");
        // Another user's job holds the whole node for 6 s; ours, with 3 s to run, waits behind it.
        await fixture.Cluster.CommandAsync("sbatch", "--exclusive", "--job-name=ks-occupier", "--output=/dev/null", "--wrap=sleep 6");
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var call = await agent.RunAsync(artifact, 3_000);

        Assert.True(call.Result.Status == JobResult.Types.Status.Exited && call.Result.ExitCode == 0, $"{call.Result.Status} {call.Result.Message}");
        Assert.True(clock.Elapsed > TimeSpan.FromSeconds(3), $"the run did not wait for the node: {clock.Elapsed.TotalSeconds:0.0} s");
        // The run's own time: the seconds it spent queued behind the other job are not in it.
        Assert.True(call.Result.WallSeconds < clock.Elapsed.TotalSeconds - 2, $"run {call.Result.WallSeconds:0.00} s of {clock.Elapsed.TotalSeconds:0.00} s waited and run");
        Assert.Equal("", await fixture.Cluster.QueueAsync());
    }

    [Fact]
    public async Task Run_TimingRunAtMoreRanksThanTheClusterHas_IsTheAgentsFailureNotTheProgramsAndLeavesNoJob()
    {
        var agent = fixture.Agent(SlurmLauncher.Srun);
        var artifact = await agent.BuildProgramAsync("slurm_ranks", "mpicc.mpich");
        var job = MpiJob(artifact, 2 * Environment.ProcessorCount + 1, 30_000);
        job.Exclusive = true;

        var call = await agent.RunAsync(job);

        Assert.Equal(JobResult.Types.Status.AgentError, call.Result.Status);
        Assert.Equal("Slurm cannot start this job as asked (pending: PartitionConfig)", call.Result.Message);
        Assert.Equal("", await fixture.Cluster.QueueAsync());
    }

    [Fact]
    public async Task Run_CorrectnessRunAtMoreRanksThanTheClusterHas_SharesCpus()
    {
        // The amplified inputs run at 5 ranks: untimed, they may overcommit the node rather than never start.
        var agent = fixture.Agent(SlurmLauncher.Srun);
        var artifact = await agent.BuildProgramAsync("slurm_ranks", "mpicc.mpich");
        var ranks = 2 * Environment.ProcessorCount + 1;

        var call = await agent.RunAsync(MpiJob(artifact, ranks, 60_000));

        Assert.True(call.Result.Status == JobResult.Types.Status.Exited && call.Result.ExitCode == 0,
            $"{call.Result.Status} {call.Result.ExitCode} {call.Result.Message}\n{call.Result.Stderr.ToStringUtf8()}\n{call.Stdout}");
        Assert.Equal(ranks, call.Stdout.Split('\n').Count(l => l.StartsWith("rank ", StringComparison.Ordinal)));
        Assert.Equal("", await fixture.Cluster.QueueAsync());
    }

    [Theory]
    [InlineData(SlurmLauncher.Srun, "srun: error: Unable to allocate resources: Invalid partition name specified")]
    [InlineData(SlurmLauncher.Sbatch, "sbatch: error: Batch job submission failed: Invalid partition name specified")]
    public async Task Run_ToAPartitionThatDoesNotExist_IsRefusedAsTheAgentsFailure(string submit, string message)
    {
        await using var agent = await fixture.StartAgentAsync(submit, new Dictionary<string, string?> { [$"{AgentOptions.Section}:Slurm:Partition"] = "no-such-partition" });

        var call = await agent.RunAsync(await agent.BuildProgramAsync("slurm_task"), 30_000);

        Assert.Equal(JobResult.Types.Status.AgentError, call.Result.Status);
        Assert.Equal(message, call.Result.Message);
    }

    [Fact]
    public void Capabilities_OnALoginNode_ListSlurmWithItsPartitionAndMpiPlugins()
    {
        var slurm = Assert.Single(fixture.Agent(SlurmLauncher.Srun).Capabilities.Tools, t => t.Name == AgentIdentity.SlurmTool).Version;

        Assert.StartsWith("slurm", slurm);
        Assert.Contains($"partitions {LocalSlurm.Partition}* (1 nodes, {Environment.ProcessorCount} CPUs, up)", slurm);
        Assert.Contains("MPI plugins pmix", slurm);
        Assert.Contains("pmi2", slurm);
        Assert.EndsWith("submits with srun", slurm);
    }

    private static RunJob MpiJob(string artifactId, int ranks, int timeoutMs)
    {
        var job = AgentHost.Job(artifactId, timeoutMs);
        job.Launcher = Launchers.MpiRun;
        job.Ranks = ranks;
        return job;
    }
}

/// <summary>One Slurm for all Slurm tests, and an agent on its login node for each way of submitting.</summary>
public sealed class SlurmFixture : IAsyncLifetime
{
    private readonly Dictionary<string, AgentHost> _agents = [];

    public LocalSlurm Cluster { get; private set; } = null!;

    public AgentHost Agent(string submit) => _agents[submit];

    public async Task<AgentHost> StartAgentAsync(string submit, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var configuration = new Dictionary<string, string?>
        {
            [$"{AgentOptions.Section}:Slurm:Submit"] = submit,
            [$"{AgentOptions.Section}:Slurm:Config"] = Cluster.Config,
            [$"{AgentOptions.Section}:Slurm:Partition"] = LocalSlurm.Partition,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        return await AgentHost.StartAsync(configuration);
    }

    public async Task InitializeAsync()
    {
        Cluster = await LocalSlurm.StartAsync();
        foreach (var submit in new[] { SlurmLauncher.Srun, SlurmLauncher.Sbatch })
        {
            _agents[submit] = await StartAgentAsync(submit);
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var agent in _agents.Values)
        {
            await agent.DisposeAsync();
        }

        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }
    }
}

/// <summary>Slurm tests run alone: the one node's two CPUs are the cluster's, and a job waiting for them would time out.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SlurmCollection : ICollectionFixture<SlurmFixture>
{
    public const string Name = "slurm";
}
