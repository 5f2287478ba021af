using System.Globalization;
using Kernelsmith.Agents.Node.Capabilities;
using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Jobs;

/// <summary>The agent's rules for a job that need no machine: which compilers it runs, what a job may set, what a run needs.</summary>
public static class JobPolicy
{
    private static readonly HashSet<string> s_compilers = ["gcc", "g++", "cc", "c++", "clang", "clang++", "nvcc"];

    private static readonly HashSet<string> s_compiledExtensions = [".c", ".cc", ".cpp", ".cxx", ".cu"];

    /// <summary>A compiler driver this agent runs: the plain ones and each MPI toolchain's wrappers.</summary>
    public static bool IsKnownCompiler(string compiler) => s_compilers.Contains(compiler) || MpiToolchain.ForCompiler(compiler) is not null;

    /// <summary>The command line of a build: the sources (headers are only written), then the program, then its libraries.</summary>
    public static List<string> BuildCommand(string compiler, BuildJob job, string program) =>
        [compiler, .. job.Flags, .. job.Files.Select(f => f.Path).Where(p => s_compiledExtensions.Contains(Path.GetExtension(p))), "-o", program, .. job.Libraries];

    /// <summary>The cores a run's program uses: its threads, times its ranks under mpirun.</summary>
    public static int CoresWanted(RunJob job) =>
        Math.Max(1, job.Threads) * (job.Launcher == Launchers.MpiRun ? Math.Max(1, job.Ranks) : 1);

    /// <summary>
    /// A run's environment: its thread count (spread one per core, except under mpirun, where every rank would pile onto
    /// the first cores), the job's own safe variables, then the GPU it was given, so a program sees exactly that one.
    /// </summary>
    public static Dictionary<string, string> RunEnvironment(RunJob job, int threads, bool mpi, string? visibleGpus)
    {
        var environment = new Dictionary<string, string> { ["OMP_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture) };
        if (!mpi)
        {
            environment["OMP_PROC_BIND"] = "close";
            environment["OMP_PLACES"] = "cores";
        }

        foreach (var (name, value) in job.Environment.Where(v => IsSafeVariable(v.Key)))
        {
            environment[name] = value;
        }

        if (visibleGpus is not null)
        {
            environment["CUDA_VISIBLE_DEVICES"] = visibleGpus;
        }

        return environment;
    }

    /// <summary>Job variables tune the program (sanitizer options); none may change what runs or where it looks.</summary>
    public static bool IsSafeVariable(string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_')
        && !name.StartsWith("LD_", StringComparison.Ordinal) && name is not ("PATH" or "HOME" or "TMPDIR" or "BASH_ENV" or "ENV");
}
