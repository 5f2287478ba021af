using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Grains.Scheduling;

/// <summary>How to compile a kernel for a technology: the compiler driver, its flags and libraries.</summary>
public sealed record BuildRecipe(string Compiler, IReadOnlyList<string> Flags, IReadOnlyList<string> Libraries)
{
    public const string Sequential = "sequential";

    public static BuildRecipe For(KernelDefinition kernel, string technology)
    {
        var cpp = kernel.Language == "cpp";
        var build = kernel.Build;
        return technology switch
        {
            Sequential => new(build.Compiler, build.Flags, build.Libraries),
            Technologies.OpenMp => new(build.Compiler, [.. build.Flags, "-fopenmp"], build.Libraries),
            Technologies.Mpi => new(cpp ? "mpicxx" : "mpicc", build.Flags, build.Libraries),
            Technologies.Cuda => new("nvcc", ["-O2"], build.Libraries),
            _ => throw new ArgumentException($"unknown technology '{technology}'", nameof(technology)),
        };
    }
}
