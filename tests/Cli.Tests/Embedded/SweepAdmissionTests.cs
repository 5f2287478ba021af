using Kernelsmith.Cli.Embedded;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Llm;

namespace Kernelsmith.Cli.Tests.Embedded;

/// <summary>
/// A cluster sweep whose technology no live agent offers says so in its status (<c>kernelsmith status</c>, through the
/// sweep API) while its experiments wait.
/// </summary>
public sealed class SweepAdmissionTests
{
    [Fact]
    public async Task Status_NoAgentOffersTheTechnology_ShowsWhatTheSweepWaitsFor()
    {
        // A silo whose agents would join from elsewhere: none has yet.
        await using var cluster = await EmbeddedCluster.StartAsync(Directory.CreateTempSubdirectory("kernelsmith-admission-").FullName, CancellationToken.None, startAgent: false);
        var gemm = KernelCatalog.LoadFolder(Path.Combine(Repository.Kernels, "gemm"));
        var spec = new SweepSpec(
            "admission", ["gemm"], [Technologies.OpenMp, Technologies.Mpi], [new ModelSpec("expert", ModelProviders.Sim, Behaviour: SimModel.Expert)],
            [PromptLibrary.Plain], 1, new RepairSettings(0), new RunSettings("tiny", [1], [2], 1, 30, 60)) { Pools = new Dictionary<string, IReadOnlyList<string>> { [Technologies.Mpi] = ["romeo"] } };

        var sweep = await EmbeddedSweepApi.SubmitAsync(cluster, spec, [gemm]);
        var progress = await EmbeddedSweepApi.StatusAsync(cluster, sweep);

        Assert.Equal(
            ["no agent in pool romeo offers mpi (agents offer: none: no agent is live)", "no agent offers openmp (agents offer: none: no agent is live)"],
            progress.Waiting);
        Assert.Equal(0, progress.Recorded);
    }

    [Fact]
    public async Task Status_ThreadCountNoAgentCanStart_ShowsItAndNoRunIsChargedToTheModel()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(Directory.CreateTempSubdirectory("kernelsmith-admission-").FullName, CancellationToken.None);
        var gemm = KernelCatalog.LoadFolder(Path.Combine(Repository.Kernels, "gemm"));
        var spec = new SweepSpec(
            "admission-counts", ["gemm"], [Technologies.OpenMp], [new ModelSpec("expert", ModelProviders.Sim, Behaviour: SimModel.Expert)],
            [PromptLibrary.Plain], 1, new RepairSettings(0), new RunSettings("tiny", [1, 100_000], [1], 1, 30, 60) { MaxPairs = 1, Warmups = 0, Expert = false });

        var sweep = await EmbeddedSweepApi.SubmitAsync(cluster, spec, [gemm]);
        await Task.Delay(TimeSpan.FromSeconds(5));
        var progress = await EmbeddedSweepApi.StatusAsync(cluster, sweep);

        var waiting = Assert.Single(progress.Waiting);
        Assert.StartsWith("run.threads: 100000 exceed what any agent offering openmp lets a job start (at most ", waiting, StringComparison.Ordinal);
        // The experiment waits for an agent with room instead of running a program that could only crash.
        Assert.Equal(0, progress.Recorded);
    }
}
