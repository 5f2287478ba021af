using System.Collections;

namespace Kernelsmith.Agents.Node.Capabilities;

/// <summary>
/// Proves a toolchain the way a job would use it: a one-line program is built with it and run. A wrapper that is
/// installed but cannot build (MPICH's <c>mpicc.mpich</c> without <c>libmpich-dev</c> finds no <c>mpi.h</c>) or a
/// sanitizer whose runtime is missing fails here, at the agent's start, instead of as a model's build_error.
/// Each check returns null when the toolchain works, or the problem in one line.
/// </summary>
public static class ToolchainCheck
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    private const string OpenMpProgram = """
        #include <omp.h>
        #include <stdio.h>
        int main(void) { int n = 0;
        #pragma omp parallel reduction(+:n)
          n += 1;
          printf("%d\n", n > 0); return 0; }
        """;

    private const string MpiProgram = """
        #include <mpi.h>
        #include <stdio.h>
        int main(int argc, char **argv) { int rank, sum, one = 1; MPI_Init(&argc, &argv);
          MPI_Comm_rank(MPI_COMM_WORLD, &rank);
          MPI_Reduce(&one, &sum, 1, MPI_INT, MPI_SUM, 0, MPI_COMM_WORLD);
          if (rank == 0) printf("%d\n", sum);
          MPI_Finalize(); return 0; }
        """;

    private const string CudaProgram = """
        #include <cstdio>
        __global__ void one(int *x) { *x = 1; }
        int main() { int *d, h = 0; if (cudaMalloc(&d, sizeof(int)) != cudaSuccess) return 1;
          one<<<1, 1>>>(d); cudaMemcpy(&h, d, sizeof(int), cudaMemcpyDeviceToHost); std::printf("%d\n", h); return h == 1 ? 0 : 1; }
        """;

    /// <summary>gcc with OpenMP: the header, libgomp, and a parallel region that runs.</summary>
    public static string? OpenMp(IReadOnlyDictionary<string, string>? environment = null) =>
        BuildAndRun(environment, "openmp", "probe.c", OpenMpProgram, (source, program) => ["gcc", "-fopenmp", source, "-o", program], program => [program]);

    /// <summary>An MPI toolchain: its C wrapper finds mpi.h and links, and its launcher starts two ranks that communicate.</summary>
    public static string? Mpi(MpiToolchain mpi, IReadOnlyDictionary<string, string>? environment = null) =>
        BuildAndRun(environment, mpi.Compilers[0], "probe.c", MpiProgram, (source, program) => [mpi.Compilers[0], source, "-o", program],
            program => [.. mpi.LaunchCommand(2), program], expected: "2");

    /// <summary>A sanitizer, built by clang with OpenMP as the sanitizer runs build: its runtime links and starts.</summary>
    public static string? Sanitizer(string flags, IReadOnlyDictionary<string, string>? environment = null) =>
        BuildAndRun(environment, $"clang {flags}", "probe.c", "int main(void) { return 0; }\n",
            (source, program) => ["clang", flags, "-fopenmp", source, "-o", program], program => [program], expected: null);

    /// <summary>nvcc and a GPU: a kernel is compiled, launched, and its result copied back.</summary>
    public static string? Cuda(IReadOnlyDictionary<string, string>? environment = null) =>
        BuildAndRun(environment, "nvcc", "probe.cu", CudaProgram, (source, program) => ["nvcc", source, "-o", program], program => [program]);

    private static string? BuildAndRun(
        IReadOnlyDictionary<string, string>? environment, string toolchain, string fileName, string code,
        Func<string, string, string[]> build, Func<string, string[]> run, string? expected = "1")
    {
        var directory = Directory.CreateTempSubdirectory("kernelsmith-probe-");
        try
        {
            var source = Path.Combine(directory.FullName, fileName);
            var program = Path.Combine(directory.FullName, "probe");
            File.WriteAllText(source, code);
            var variables = ProbeEnvironment(environment);
            var compile = build(source, program);
            var built = CapabilityProbe.Execute(variables, s_timeout, compile[0], compile[1..]);
            if (!built.Succeeded)
            {
                return $"{toolchain} cannot build a test program: {FirstError(built.Output)}";
            }

            var command = run(program);
            var ran = CapabilityProbe.Execute(variables, s_timeout, command[0], command[1..]);
            if (!ran.Succeeded || expected is not null && ran.Output.Trim() != expected)
            {
                return $"{toolchain} built a test program that does not run: {FirstError(ran.Output)}";
            }

            return null;
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>
    /// The probe's environment: the given one or the agent's, allowing Open MPI to start as root (the agent may be root
    /// when probing; jobs never are) and on more ranks than the machine has cores.
    /// </summary>
    private static Dictionary<string, string> ProbeEnvironment(IReadOnlyDictionary<string, string>? environment)
    {
        var variables = environment?.ToDictionary() ?? Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
        variables["OMPI_ALLOW_RUN_AS_ROOT"] = "1";
        variables["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1";
        variables["OMP_NUM_THREADS"] = "2";
        return variables;
    }

    /// <summary>The line that says what went wrong: the first naming an error, else the first at all.</summary>
    private static string FirstError(string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return lines.FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)) ?? lines.FirstOrDefault() ?? "no output";
    }
}
