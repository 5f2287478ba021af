using Kernelsmith.Agents.Node.Capabilities;
using Kernelsmith.Agents.Node.Execution;
using Kernelsmith.Agents.Node.Hosting;
using Kernelsmith.Agents.Node.Jobs;
using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Protos;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Kernelsmith.Agents.Node.Tests.Jobs;

/// <summary>The job policy that needs no machine: what a program sees, and how each launcher starts it.</summary>
public sealed class JobPolicyTests
{
    [Fact]
    public void RunEnvironment_JobVariables_KeepsTuningAndDropsWhatChangesWhatRuns()
    {
        var job = new RunJob { Environment = { ["TSAN_OPTIONS"] = "halt_on_error=1", ["LD_PRELOAD"] = "/tmp/evil.so", ["PATH"] = "/tmp", ["lower"] = "x", ["CUDA_VISIBLE_DEVICES"] = "0,1" } };

        var environment = JobPolicy.RunEnvironment(job, threads: 4, mpi: false, visibleGpus: "2");

        Assert.Equal("halt_on_error=1", environment["TSAN_OPTIONS"]);
        Assert.Equal("4", environment["OMP_NUM_THREADS"]);
        Assert.Equal("cores", environment["OMP_PLACES"]);
        Assert.False(environment.ContainsKey("LD_PRELOAD"));
        Assert.False(environment.ContainsKey("PATH"));
        Assert.False(environment.ContainsKey("lower"));
        // The GPU the agent gave the run wins over the one the job asked for.
        Assert.Equal("2", environment["CUDA_VISIBLE_DEVICES"]);
    }

    [Fact]
    public void RunEnvironment_UnderMpirun_LeavesThreadPlacementToTheRanks() =>
        Assert.False(JobPolicy.RunEnvironment(new RunJob(), threads: 2, mpi: true, visibleGpus: null).ContainsKey("OMP_PROC_BIND"));

    [Fact]
    public void CoresWanted_MpiRun_IsThreadsTimesRanks()
    {
        Assert.Equal(6, JobPolicy.CoresWanted(new RunJob { Launcher = Launchers.MpiRun, Threads = 2, Ranks = 3 }));
        Assert.Equal(2, JobPolicy.CoresWanted(new RunJob { Launcher = Launchers.Plain, Threads = 2, Ranks = 3 }));
    }

    [Fact]
    public void BuildCommand_CompilesSourcesNotHeaders_LibrariesLast()
    {
        var job = new BuildJob { Files = { new SourceFile { Path = "main.c" }, new SourceFile { Path = "util.h" } }, Flags = { "-O2" }, Libraries = { "-lm" } };

        Assert.Equal(["gcc", "-O2", "main.c", "-o", "prog", "-lm"], JobPolicy.BuildCommand("gcc", job, "prog"));
    }

    [Fact]
    public void LocalLauncher_TimingRun_HoldsTheNodeAndIsPinnedToWhatItUses()
    {
        var local = new LocalLauncher(Options.Create(new AgentOptions()));

        Assert.Equal(8, local.CoresHeld(wanted: 2, exclusive: true, agentCores: 8));
        Assert.Equal(2, local.CoresHeld(wanted: 2, exclusive: false, agentCores: 8));
        Assert.Equal([4, 5], local.Pinned([4, 5, 6, 7], wanted: 2));
        Assert.Null(local.Plan(null, 1, 2, exclusive: true, ["./prog"]).Launch);
    }

    [Fact]
    public void SlurmJobLauncher_Run_HoldsOneCoreForSrunAndPlacesTheJobOnTheCluster()
    {
        var options = Options.Create(new AgentOptions { Slurm = { Submit = SlurmLauncher.Srun } });
        var slurm = new SlurmJobLauncher(new SlurmLauncher(options, NullLogger<SlurmLauncher>.Instance));

        var plan = slurm.Plan(null, ranks: 2, threads: 3, exclusive: true, ["./prog", "arg"]);

        Assert.Equal(1, slurm.CoresHeld(wanted: 6, exclusive: true, agentCores: 8));
        Assert.Empty(slurm.Pinned([0, 1, 2], wanted: 6));
        Assert.Equal(["./prog", "arg"], plan.Command);
        Assert.Equal(new SlurmPlacement(2, 3, null, true), Assert.IsType<SlurmTaskLaunch>(plan.Launch).Placement);
    }

    [Fact]
    public void Launchers_OpenMpiBuild_OnlySlurmRefusesIt()
    {
        var openMpi = new MpiToolchain(MpiToolchain.OpenMpi, "Open MPI 4.1.4", "mpirun.openmpi", ["mpicc.openmpi"]);
        var mpich = new MpiToolchain(MpiToolchain.Mpich, "MPICH 4.0.2", "mpirun.mpich", ["mpicc.mpich"]);
        var options = Options.Create(new AgentOptions { Slurm = { Submit = SlurmLauncher.Srun } });

        Assert.Null(new LocalLauncher(options).Refusal(openMpi));
        var slurm = new SlurmJobLauncher(new SlurmLauncher(options, NullLogger<SlurmLauncher>.Instance));
        Assert.Contains("need an MPICH build", slurm.Refusal(openMpi));
        Assert.Null(slurm.Refusal(mpich));
    }
}
