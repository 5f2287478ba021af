using Kernelsmith.Agents.Node.Capabilities;
using Kernelsmith.Agents.Node.Execution;

namespace Kernelsmith.Agents.Node.Jobs;

/// <summary>
/// Programs run as Slurm jobs of N tasks with T CPUs each (<see cref="SlurmLauncher"/> submits them): srun starts the
/// ranks, each in a sandbox of its own, on the cluster's cores, so the agent holds one core of its own for srun or
/// sbatch, which only wait, and pins nothing.
/// </summary>
public sealed class SlurmJobLauncher(SlurmLauncher slurm) : ILauncher
{
    public string Compiler(string requested) => slurm.Compiler(requested);

    public string? Refusal(MpiToolchain? mpi) => SlurmLauncher.Refusal(mpi);

    public int CoresHeld(int wanted, bool exclusive, int agentCores) => 1;

    public IReadOnlyList<int> Pinned(IReadOnlyList<int> held, int wanted) => [];

    public LaunchPlan Plan(MpiToolchain? mpi, int ranks, int threads, bool exclusive, IReadOnlyList<string> program) =>
        new([.. program], new SlurmTaskLaunch(slurm, new SlurmPlacement(ranks, threads, mpi, exclusive)));
}
