using Kernelsmith.Agents.Node.Capabilities;
using Kernelsmith.Agents.Node.Hosting;
using Microsoft.Extensions.Options;

namespace Kernelsmith.Agents.Node.Jobs;

/// <summary>Programs run on this machine, pinned to the cores they hold; MPI ranks start under the toolchain's mpirun inside the sandbox.</summary>
public sealed class LocalLauncher(IOptions<AgentOptions> options) : ILauncher
{
    public string Compiler(string requested) => requested;

    public string? Refusal(MpiToolchain? mpi) => null;

    /// <summary>A timing run owns the node by default: nothing else of the agent runs beside it.</summary>
    public int CoresHeld(int wanted, bool exclusive, int agentCores) => exclusive && options.Value.TimingRunsOwnTheNode ? agentCores : wanted;

    /// <summary>The program runs on the first cores it asked for; any others held stay idle, so nothing shares the node.</summary>
    public IReadOnlyList<int> Pinned(IReadOnlyList<int> held, int wanted) => [.. held.Take(Math.Max(1, Math.Min(wanted, held.Count)))];

    public LaunchPlan Plan(MpiToolchain? mpi, int ranks, int threads, bool exclusive, IReadOnlyList<string> program) =>
        new(mpi is null ? [.. program] : [.. mpi.LaunchCommand(ranks), .. program], null);
}
