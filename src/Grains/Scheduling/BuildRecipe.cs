using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Grains.Scheduling;

/// <summary>How to compile a kernel for a technology: the compiler driver, its flags and libraries.</summary>
public sealed record BuildRecipe(string Compiler, IReadOnlyList<string> Flags, IReadOnlyList<string> Libraries)
{
    public const string Sequential = "sequential";

    /// <summary>gcc 14 makes these errors by default; older compilers only warn, and the study's models hit them.</summary>
    public static readonly IReadOnlyList<string> ModernCErrors =
        ["-Werror=implicit-function-declaration", "-Werror=int-conversion", "-Werror=incompatible-pointer-types", "-Werror=implicit-int"];

    public static BuildRecipe For(KernelDefinition kernel, string technology)
    {
        var cpp = kernel.Language == "cpp";
        var build = kernel.Build;
        return technology switch
        {
            Sequential => new(build.Compiler, build.Flags, build.Libraries),
            Technologies.OpenMp => new(build.Compiler, [.. build.Flags, .. CErrors(cpp), "-fopenmp"], build.Libraries),
            Technologies.Mpi => new(cpp ? "mpicxx" : "mpicc", [.. build.Flags, .. CErrors(cpp)], build.Libraries),
            Technologies.Cuda => new("nvcc", ["-O2"], build.Libraries),
            _ => throw new ArgumentException($"unknown technology '{technology}'", nameof(technology)),
        };
    }

    private static IReadOnlyList<string> CErrors(bool cpp) => cpp ? [] : ModernCErrors;
}
