using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Grains.Scheduling;

/// <summary>What a sanitizer build looks for: data races, or memory errors and undefined behaviour.</summary>
public enum Sanitizer
{
    /// <summary>Data races: ThreadSanitizer with clang and libomp; compute-sanitizer racecheck on a GPU.</summary>
    Thread,

    /// <summary>Memory errors and undefined behaviour: AddressSanitizer with UBSan; compute-sanitizer memcheck on a GPU.</summary>
    Memory,
}

/// <summary>How to compile a kernel for a technology: the compiler driver, its flags and libraries.</summary>
public sealed record BuildRecipe(string Compiler, IReadOnlyList<string> Flags, IReadOnlyList<string> Libraries)
{
    public const string Sequential = "sequential";

    /// <summary>gcc 14 makes these errors by default; older compilers only warn, and the study's models hit them.</summary>
    public static readonly IReadOnlyList<string> ModernCErrors =
        ["-Werror=implicit-function-declaration", "-Werror=int-conversion", "-Werror=incompatible-pointer-types", "-Werror=implicit-int"];

    /// <summary>Variables a run of this build needs (sanitizer options); empty for ordinary builds.</summary>
    public IReadOnlyDictionary<string, string> RunEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>A tool the program runs under (compute-sanitizer), placed right before the program (after mpirun, if any).</summary>
    public IReadOnlyList<string> RunWrapper { get; init; } = [];

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

    /// <summary>The sanitizers that have a recipe for a technology.</summary>
    public static IReadOnlyList<Sanitizer> SanitizersFor(string technology) => technology switch
    {
        Sequential or Technologies.Mpi => [Sanitizer.Memory],
        Technologies.OpenMp or Technologies.Cuda => [Sanitizer.Thread, Sanitizer.Memory],
        _ => [],
    };

    /// <summary>
    /// A build for a separate, untimed sanitizer run, with the environment and wrapper that run needs. OpenMP races
    /// need clang with its own libomp: gcc's libgomp is not instrumented and gives TSan false reports, and
    /// ignore_noninstrumented_modules keeps libomp's internals out. MPI libraries allocate memory they never free,
    /// so leak reports are off for MPI. Reports abort the program (-fno-sanitize-recover) so that none is missed.
    /// </summary>
    public static BuildRecipe ForSanitizer(KernelDefinition kernel, string technology, Sanitizer sanitizer)
    {
        if (!SanitizersFor(technology).Contains(sanitizer))
        {
            throw new ArgumentException($"no {sanitizer} sanitizer recipe for '{technology}'", nameof(sanitizer));
        }

        var cpp = kernel.Language == "cpp";
        var build = kernel.Build;
        string[] debug = ["-g", "-O1", "-fno-omit-frame-pointer"];
        string[] memory = ["-fsanitize=address,undefined", "-fno-sanitize-recover=all", .. debug];
        var clang = cpp ? "clang++" : "clang";
        return (technology, sanitizer) switch
        {
            (Technologies.Cuda, _) => new("nvcc", ["-O2", "-g", "-lineinfo"], build.Libraries)
            {
                RunWrapper = ["compute-sanitizer", "--tool", sanitizer == Sanitizer.Thread ? "racecheck" : "memcheck", "--error-exitcode", "1"],
            },
            (Technologies.Mpi, _) => new(cpp ? "mpicxx" : "mpicc", [.. build.Flags, .. memory], build.Libraries)
            {
                RunEnvironment = Environment(("ASAN_OPTIONS", "detect_leaks=0"), ("UBSAN_OPTIONS", "print_stacktrace=1")),
            },
            (_, Sanitizer.Thread) => new(clang, [.. build.Flags, "-fopenmp", "-fsanitize=thread", .. debug], build.Libraries)
            {
                RunEnvironment = Environment(("TSAN_OPTIONS", "ignore_noninstrumented_modules=1")),
            },
            _ => new(clang, [.. build.Flags, .. technology == Technologies.OpenMp ? ["-fopenmp"] : Array.Empty<string>(), .. memory], build.Libraries)
            {
                RunEnvironment = Environment(("UBSAN_OPTIONS", "print_stacktrace=1")),
            },
        };
    }

    private static Dictionary<string, string> Environment(params (string Name, string Value)[] variables) =>
        variables.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);
}
