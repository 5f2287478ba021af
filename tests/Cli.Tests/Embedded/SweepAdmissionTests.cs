using Kernelsmith.Cli.Embedded;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Llm;

namespace Kernelsmith.Cli.Tests.Embedded;

/// <summary>A cluster sweep whose technology no live agent offers says so in its status while its experiments wait.</summary>
public sealed class SweepAdmissionTests
{
    [Fact]
    public async Task GetProgressAsync_NoAgentOffersTheTechnology_ShowsWhatTheSweepWaitsFor()
    {
        // A silo whose agents would join from elsewhere: none has yet.
        await using var cluster = await EmbeddedCluster.StartAsync(Directory.CreateTempSubdirectory("kernelsmith-admission-").FullName, CancellationToken.None, startAgent: false);
        var gemm = KernelCatalog.LoadFolder(Path.Combine(Repository.Kernels, "gemm"));
        var spec = new SweepSpec(
            "admission", ["gemm"], [Technologies.OpenMp, Technologies.Mpi], [new ModelSpec("expert", ModelProviders.Sim, Behaviour: SimModel.Expert)],
            [PromptLibrary.Plain], 1, new RepairSettings(0), new RunSettings("tiny", [1], [2], 1, 30, 60)) { Pools = new Dictionary<string, IReadOnlyList<string>> { [Technologies.Mpi] = ["romeo"] } };
        var sweep = cluster.Grains.GetGrain<ISweepGrain>("admission");

        await sweep.StartAsync(spec, [gemm]);
        var progress = await sweep.GetProgressAsync();

        Assert.Equal(
            ["no agent in pool romeo offers mpi (agents offer: none: no agent is live)", "no agent offers openmp (agents offer: none: no agent is live)"],
            progress.Waiting);
        Assert.Equal(0, progress.Recorded);
    }
}
