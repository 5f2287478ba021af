using System.Text;
using System.Text.RegularExpressions;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Grains.Verification;

/// <summary>Whether a program contains what makes it parallel for its technology, and why not when it does not.</summary>
public sealed record ParallelismReport(bool IsParallel, string Reason);

/// <summary>
/// A static check, on the extracted source, that an answer is parallel at all: an OpenMP directive that
/// creates parallelism, MPI communication, a CUDA kernel launch; and not one pinned to one thread or one GPU
/// thread. Comments, string literals and <c>#if 0</c> blocks do not count. An answer that fails it is never a
/// parallel success, whatever its output.
/// </summary>
public static partial class ParallelismCheck
{
    private static readonly HashSet<string> s_sourceExtensions = [".c", ".h", ".cc", ".cpp", ".cxx", ".hpp", ".hh", ".cu", ".cuh"];

    public static ParallelismReport Check(IEnumerable<CodeFile> files, string technology)
    {
        var code = string.Join('\n', files.Where(f => s_sourceExtensions.Contains(Path.GetExtension(f.Path).ToLowerInvariant())).Select(f => Strip(f.Content)));
        return technology switch
        {
            Technologies.OpenMp => OpenMp(code),
            Technologies.Mpi => Mpi(code),
            Technologies.Cuda => Cuda(code),
            _ => new(false, $"'{technology}' is not a parallel technology"),
        };
    }

    private static ParallelismReport OpenMp(string code)
    {
        var directives = OmpDirective().Matches(code).Select(m => m.Groups["directive"].Value).ToList();
        var parallel = directives.Where(d => OmpParallelConstruct().IsMatch(d)).ToList();
        if (parallel.Count == 0)
        {
            return new(false, directives.Count == 0
                ? "no '#pragma omp' directive: the code never creates OpenMP parallelism (an #include <omp.h> or omp_* calls alone do not)"
                : $"no OpenMP directive that creates parallelism (parallel, for, task, simd, target, teams ...); found only: {string.Join(", ", directives.Distinct().Select(d => "'#pragma omp " + d + "'"))}");
        }

        if (!parallel.Any(d => OmpTeamOrVector().IsMatch(d)))
        {
            // Worksharing and tasking directives bind to the enclosing team; without a parallel region there is one thread.
            return new(false, $"no OpenMP parallel region: {string.Join(", ", parallel.Distinct().Select(d => "'#pragma omp " + d + "'"))} only shares work among a team that the code never creates (no 'parallel', 'teams' or 'target'), so it runs on one thread");
        }

        if (parallel.All(d => OneThread().IsMatch(d)))
        {
            return new(false, "every OpenMP parallel construct is limited to one thread (num_threads(1) or if(0))");
        }

        var settings = SetNumThreads().Matches(code).Select(m => m.Groups["n"].Value.Trim()).ToList();
        if (settings.Count > 0 && settings.All(n => n == "1") && parallel.All(d => !d.Contains("num_threads", StringComparison.Ordinal)))
        {
            return new(false, "omp_set_num_threads(1) pins every parallel region to one thread");
        }

        return new(true, $"{parallel.Count} OpenMP directive(s) that create parallelism");
    }

    private static ParallelismReport Mpi(string code)
    {
        if (!MpiInit().IsMatch(code))
        {
            return new(false, "MPI_Init is never called: the program never becomes an MPI program");
        }

        var calls = MpiCommunication().Matches(code).Select(m => m.Groups["call"].Value).Distinct().ToList();
        return calls.Count == 0
            ? new(false, "MPI_Init is called but no rank ever communicates: no point-to-point, collective or one-sided MPI call")
            : new(true, "MPI communication: " + string.Join(", ", calls.Take(6)));
    }

    private static ParallelismReport Cuda(string code)
    {
        if (!code.Contains("__global__", StringComparison.Ordinal))
        {
            return new(false, "no __global__ function: nothing runs on the GPU");
        }

        var launches = KernelLaunch().Matches(code).ToList();
        if (launches.Count == 0 && !LaunchCall().IsMatch(code))
        {
            return new(false, "a __global__ function is defined but never launched (no <<<...>>> and no cudaLaunchKernel)");
        }

        if (launches.Count > 0 && !LaunchCall().IsMatch(code) && launches.All(l => OneThreadLaunch(l.Groups["config"].Value)))
        {
            return new(false, "every kernel launch is <<<1, 1>>>: one GPU thread does all the work");
        }

        return new(true, $"{Math.Max(1, launches.Count)} CUDA kernel launch(es)");
    }

    /// <summary>Whether a launch configuration (grid, block[, shared, stream]) is one block of one thread.</summary>
    private static bool OneThreadLaunch(string configuration)
    {
        var arguments = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < configuration.Length; i++)
        {
            depth += configuration[i] switch { '(' => 1, ')' => -1, _ => 0 };
            if (configuration[i] == ',' && depth == 0)
            {
                arguments.Add(configuration[start..i]);
                start = i + 1;
            }
        }

        arguments.Add(configuration[start..]);
        return arguments.Count >= 2 && arguments.Take(2).All(a => OneLiteral().IsMatch(a.Trim()));
    }

    /// <summary>
    /// The code without comments, string and character literals (kept as empty quotes) and <c>#if 0</c> blocks;
    /// line breaks are kept, and <c>_Pragma("...")</c> becomes the <c>#pragma</c> it stands for.
    /// </summary>
    internal static string Strip(string source)
    {
        source = source.Replace("\\\r\n", " ", StringComparison.Ordinal).Replace("\\\n", " ", StringComparison.Ordinal);
        var text = new StringBuilder(source.Length);
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            var next = i + 1 < source.Length ? source[i + 1] : '\0';
            if (c == '/' && next == '/')
            {
                while (i < source.Length && source[i] != '\n')
                {
                    i++;
                }

                text.Append('\n');
            }
            else if (c == '/' && next == '*')
            {
                var end = source.IndexOf("*/", i + 2, StringComparison.Ordinal);
                var comment = end < 0 ? source[i..] : source[i..(end + 2)];
                text.Append('\n', comment.Count(ch => ch == '\n')).Append(' ');
                i = end < 0 ? source.Length : end + 1;
            }
            else if (c is '"' or '\'')
            {
                var j = i + 1;
                while (j < source.Length && source[j] != c && source[j] != '\n')
                {
                    j += source[j] == '\\' ? 2 : 1;
                }

                var literal = source[(i + 1)..Math.Min(j, source.Length)];
                if (c == '"' && PragmaOperator().IsMatch(text.ToString(Math.Max(0, text.Length - 40), Math.Min(40, text.Length))))
                {
                    // _Pragma("omp parallel for") is the directive it spells.
                    text.Append("\n#pragma ").Append(literal).Append('\n');
                }

                text.Append(c).Append(c);
                i = Math.Min(j, source.Length - 1);
                if (i < source.Length && source[i] == '\n')
                {
                    text.Append('\n');
                }
            }
            else
            {
                text.Append(c);
            }
        }

        return WithoutDisabledBlocks(text.ToString());
    }

    private static string WithoutDisabledBlocks(string code)
    {
        var kept = new StringBuilder(code.Length);
        var depth = 0;
        foreach (var line in code.Split('\n'))
        {
            var directive = Conditional().Match(line);
            if (depth == 0 && directive.Success && directive.Groups["kind"].Value == "if" && directive.Groups["rest"].Value.Trim() == "0")
            {
                depth = 1;
            }
            else if (depth > 0 && directive.Success)
            {
                depth += directive.Groups["kind"].Value switch
                {
                    "if" or "ifdef" or "ifndef" => 1,
                    "endif" => -1,
                    _ => depth == 1 ? -1 : 0,
                };
            }
            else if (depth == 0)
            {
                kept.Append(line);
            }

            kept.Append('\n');
        }

        return kept.ToString();
    }

    [GeneratedRegex(@"^[ \t]*#[ \t]*pragma[ \t]+omp[ \t]+(?<directive>[^\n]*)", RegexOptions.Multiline)]
    private static partial Regex OmpDirective();

    [GeneratedRegex(@"^(?:parallel|for|do|task|taskloop|simd|target|teams|sections|distribute|loop)\b")]
    private static partial Regex OmpParallelConstruct();

    [GeneratedRegex(@"^(?:parallel|teams|target)\b|\bsimd\b")]
    private static partial Regex OmpTeamOrVector();

    [GeneratedRegex(@"\bnum_threads\s*\(\s*1\s*\)|\bif\s*\(\s*(?:0|false)\s*\)")]
    private static partial Regex OneThread();

    [GeneratedRegex(@"\bomp_set_num_threads\s*\((?<n>[^)]*)\)")]
    private static partial Regex SetNumThreads();

    [GeneratedRegex(@"\bMPI_Init(?:_thread)?\s*\(")]
    private static partial Regex MpiInit();

    // Point-to-point (blocking, non-blocking MPI_I..., persistent ..._init), collectives, one-sided, collective I/O.
    [GeneratedRegex(@"\b(?<call>MPI_I?(?:Send|Recv|Sendrecv(?:_replace)?|Ssend|Bsend|Rsend|Bcast|Reduce|Allreduce|Reduce_scatter(?:_block)?|Scatter|Scatterv|Gather|Gatherv|Allgather|Allgatherv|Alltoall|Alltoallv|Alltoallw|Scan|Exscan|Barrier|Neighbor_\w+)(?:_init)?|MPI_(?:Put|Get|Accumulate|Get_accumulate|Fetch_and_op|Compare_and_swap|Rput|Rget|Raccumulate|Mrecv|Imrecv|Start|Startall|File_\w+_all\w*))\s*\(", RegexOptions.IgnoreCase)]
    private static partial Regex MpiCommunication();

    [GeneratedRegex(@"<<<(?<config>[^;]*?)>>>")]
    private static partial Regex KernelLaunch();

    [GeneratedRegex(@"\bcuda(?:Launch(?:Cooperative)?Kernel(?:Ex)?|LaunchCooperativeKernelMultiDevice)\s*\(|\bcuLaunchKernel\s*\(")]
    private static partial Regex LaunchCall();

    [GeneratedRegex(@"^(?:1|dim3\s*\(\s*1\s*(?:,\s*1\s*){0,2}\))$")]
    private static partial Regex OneLiteral();

    [GeneratedRegex(@"\b_Pragma\s*\(\s*$")]
    private static partial Regex PragmaOperator();

    [GeneratedRegex(@"^[ \t]*#[ \t]*(?<kind>if|ifdef|ifndef|elif|else|endif)\b(?<rest>.*)$")]
    private static partial Regex Conditional();
}
