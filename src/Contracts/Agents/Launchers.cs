namespace Kernelsmith.Contracts.Agents;

/// <summary>How an agent starts a program (the <c>launcher</c> field of a run job).</summary>
public static class Launchers
{
    public const string Plain = "plain";
    public const string MpiRun = "mpirun";

    /// <summary>A CUDA program: the agent gives it a GPU of its own.</summary>
    public const string Cuda = "cuda";
}
