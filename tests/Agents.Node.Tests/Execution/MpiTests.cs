using Kernelsmith.Agents.Node.Execution;
using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Tests.Execution;

/// <summary>MPI programs built with Open MPI's and MPICH's wrappers and launched by the matching mpirun, inside the sandbox.</summary>
[Collection(AgentCollection.Name)]
public sealed class MpiTests(AgentFixture fixture)
{
    private AgentHost Agent => fixture.Agent;

    [Theory]
    [InlineData("mpicc.openmpi", 1)]
    [InlineData("mpicc.openmpi", 2)]
    [InlineData("mpicc.openmpi", 4)]
    [InlineData("mpicc.mpich", 1)]
    [InlineData("mpicc.mpich", 2)]
    [InlineData("mpicc.mpich", 4)]
    public async Task Run_AllreduceAtRanks_SumsOverEveryRankOnTheJobsCores(string compiler, int ranks)
    {
        var build = await Agent.BuildAsync("mpi_sum", compiler, []);
        Assert.True(build.ArtifactId.Length > 0, build.Stderr.ToStringUtf8());
        Assert.Contains(compiler.EndsWith(".mpich", StringComparison.Ordinal) ? "MPICH 4" : "Open MPI 4", build.Toolchain);

        var call = await Agent.RunAsync(MpiJob(build.ArtifactId, ranks, 30_000, exclusive: true));

        Assert.True(call.Result.ExitCode == 0, $"{call.Result.Status} {call.Result.Message}\n{call.Result.Stderr.ToStringUtf8()}");
        Assert.Contains($"size {ranks} sum {ranks * (ranks + 1) / 2}\n", call.Stdout);
        // Every rank stays on the cores the job holds, whatever MPI's own binding would have chosen.
        var rankCpus = call.Stdout.Split('\n').Where(l => l.Contains(" cpus ", StringComparison.Ordinal)).Select(l => l[(l.IndexOf(" cpus ", StringComparison.Ordinal) + 6)..]).ToList();
        Assert.Equal(ranks, rankCpus.Count);
        Assert.All(rankCpus, cpus => Assert.Equal(call.Result.Cores, Cpus(cpus)));
        Assert.Equal(Math.Min(ranks, CpuList.Allowed().Count), call.Result.Cores.Count);
    }

    [Theory]
    [InlineData("mpicc.openmpi")]
    [InlineData("mpicc.mpich")]
    public async Task Run_HangInCollective_IsKilledAtWallClockLimitWithEveryRank(string compiler)
    {
        var marker = $"ks-marker-{Guid.NewGuid():n}";
        var artifact = await Agent.BuildProgramAsync("mpi_hang", compiler);
        var job = MpiJob(artifact, 4, 3_000, exclusive: false);
        job.Args.Add(marker);
        var ranksSeen = 0;

        var call = await AgentHost.CallAsync(Agent.Client.Run(job), update =>
        {
            if (update.UpdateCase == JobUpdate.UpdateOneofCase.Sample)
            {
                ranksSeen = Math.Max(ranksSeen, AgentHost.ProcessesMarked(marker).Count);
            }

            return Task.CompletedTask;
        });

        Assert.Equal(JobResult.Types.Status.TimedOut, call.Result.Status);
        Assert.Equal(4, call.Stdout.Split('\n').Count(l => l.EndsWith(" waiting", StringComparison.Ordinal)));
        Assert.True(ranksSeen >= 4, $"saw {ranksSeen} ranks while the job ran");
        await HostileProgramTests.AssertGoneAsync(marker);
        await Agent.AssertServesNormalJobAsync();
    }

    private static IReadOnlyList<int> Cpus(string list) => CpuList.TryParse(list, out var cpus) ? cpus : [];

    private static RunJob MpiJob(string artifactId, int ranks, int timeoutMs, bool exclusive)
    {
        var job = AgentHost.Job(artifactId, timeoutMs);
        job.Launcher = Launchers.MpiRun;
        job.Ranks = ranks;
        job.Exclusive = exclusive;
        return job;
    }
}
