using Kernelsmith.Agents.Node.Capabilities;
using Kernelsmith.Agents.Node.Execution;

namespace Kernelsmith.Agents.Node.Jobs;

/// <summary>
/// Where this agent's programs run: on its own cores (<see cref="LocalLauncher"/>) or as Slurm jobs
/// (<see cref="SlurmJobLauncher"/>). Chosen once at start-up from <c>Agent:Slurm:Submit</c>; <see cref="JobRunner"/>
/// asks it every question whose answer depends on where the program runs.
/// </summary>
public interface ILauncher
{
    /// <summary>The compiler driver a build runs for the one it asked for.</summary>
    string Compiler(string requested);

    /// <summary>Why a program built with <paramref name="mpi"/> (null: no MPI) cannot run here, or null when it can.</summary>
    string? Refusal(MpiToolchain? mpi);

    /// <summary>How many of the agent's <paramref name="agentCores"/> a run that uses <paramref name="wanted"/> holds while it runs.</summary>
    int CoresHeld(int wanted, bool exclusive, int agentCores);

    /// <summary>The held cores the program is pinned to (none when it runs elsewhere).</summary>
    IReadOnlyList<int> Pinned(IReadOnlyList<int> held, int wanted);

    /// <summary>The sandboxed command that starts <paramref name="program"/> (its wrapper, path and arguments) at that many ranks and threads.</summary>
    LaunchPlan Plan(MpiToolchain? mpi, int ranks, int threads, bool exclusive, IReadOnlyList<string> program);
}

/// <summary>The command the sandbox runs, and how it starts when not directly on this machine (the Slurm job it runs in).</summary>
public sealed record LaunchPlan(List<string> Command, ITaskLaunch? Launch);
