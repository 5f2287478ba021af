using System.Text.RegularExpressions;

namespace Kernelsmith.Grains.Llm;

/// <summary>
/// A realistic fault a model makes, as a rewrite of correct code. <see cref="Signatures"/> are what a feedback
/// message must mention for the simulated model to "understand" and fix it.
/// </summary>
public sealed record Mutation(string Name, string Technology, Func<string, string?> Inject, IReadOnlyList<string> Signatures)
{
    /// <summary>
    /// Whether the rewrite is a fault at all under these compiler flags: a loop counter declared in the <c>for</c>
    /// statement is legal C99 and only breaks a build that asks for C89, as the study's compilers did by default.
    /// </summary>
    public Func<IReadOnlyList<string>, bool> FaultUnder { get; init; } = _ => true;

    public bool IsNamedBy(string feedback) => Signatures.Any(s => feedback.Contains(s, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The faults <c>sim mutant</c> injects: those the study and the literature saw most. Each applies only where its
/// pattern occurs, so a kernel gets the faults its code can have.
/// </summary>
public static partial class Mutations
{
    public const string Any = "any";

    /// <summary>The compiler flags that select C89 (GNU or ISO), under which a C99 loop declaration is an error.</summary>
    private static readonly HashSet<string> s_c89Flags = new(StringComparer.Ordinal)
        { "-ansi", "-std=c89", "-std=c90", "-std=gnu89", "-std=gnu90", "-std=iso9899:1990" };

    public static readonly IReadOnlyList<Mutation> All =
    [
        new("missing_header", Any, code => RemoveLine(code, StdioInclude()), ["stdio.h", "printf", "stderr"]),
        new("undeclared_identifier", Any, code => InsertInMain(code, "    work_items = 0;"), ["work_items"]),
        new("int_from_pointer", Any, code => Replace(code, AtoiOfArgument(), "$1"), ["int-conversion", "integer from pointer"]),
        new("c99_loop_declaration", Any, code => Replace(code, C89LoopStart(), "for (int $1 ="), ["loop initial declarations", "declared inside 'for'"])
        {
            FaultUnder = flags => flags.Any(f => s_c89Flags.Contains(f)),
        },
        new("missing_reduction", "openmp", code => Replace(code, ReductionClause(), ""), ["differs", "race"]),
        new("missing_single", "openmp", code => RemoveLine(code, OmpSingle()), ["differs", "race"]),
        new("wrong_mpi_rank", "mpi", code => Replace(code, RankIsZero(), "$1 == 1"), ["differs", "printed nothing", "rank", "segmentation fault"]),
        // An off-by-one element count in a broadcast, gather, reduction or send: the receivers miss the last element.
        new("wrong_mpi_count", "mpi", code => Shift(code, MpiCount(), "count", -1), ["differs", "receive buffer", "count"]),
        // The send's tag matches no receive, so the receiving rank waits for ever: a deadlock the run's time limit ends.
        new("unmatched_send_recv", "mpi", code => Shift(code, MpiSendTag(), "tag", +1), ["deadlock"]),
        new("host_call_in_device", "cuda", code => Replace(code, GlobalFunctionBody(), "$0\n    exit(1);"), ["__host__", "exit"]),
        // A kernel launched with the host array instead of its device copy: an illegal address on the GPU.
        new("host_array_in_kernel", "cuda", PassHostArray, ["host array", "illegal memory access", "IllegalAddress", "Invalid __global__"]),
    ];

    /// <summary>
    /// The mutations that are faults in this code, for this technology and these compiler flags (the build recipe's),
    /// in a fixed order.
    /// </summary>
    public static IReadOnlyList<(Mutation Mutation, string Code)> Applicable(string code, string technology, IReadOnlyList<string> buildFlags) =>
        All.Where(m => (m.Technology == Any || m.Technology == technology) && m.FaultUnder(buildFlags))
            .Select(m => (Mutation: m, Code: m.Inject(code)))
            .Where(x => x.Code is not null && x.Code != code)
            .Select(x => (x.Mutation, x.Code!))
            .ToList();

    private static string? RemoveLine(string code, Regex line) => line.IsMatch(code) ? line.Replace(code, "", 1) : null;

    private static string? Replace(string code, Regex pattern, string replacement) =>
        pattern.IsMatch(code) ? pattern.Replace(code, replacement, 1) : null;

    /// <summary>The pattern's first match with its named value moved by delta: "1" becomes "0", "rows" becomes "rows - 1".</summary>
    private static string? Shift(string code, Regex pattern, string group, int delta)
    {
        var match = pattern.Match(code);
        if (!match.Success)
        {
            return null;
        }

        var value = match.Groups[group];
        var shifted = int.TryParse(value.Value, System.Globalization.CultureInfo.InvariantCulture, out var literal)
            ? (literal + delta).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : $"{value.Value} {(delta < 0 ? '-' : '+')} {Math.Abs(delta)}";
        return code[..value.Index] + shifted + code[(value.Index + value.Length)..];
    }

    private static string? InsertInMain(string code, string statement)
    {
        var main = MainOpening().Match(code);
        return main.Success ? code.Insert(main.Index + main.Length, "\n" + statement) : null;
    }

    [GeneratedRegex(@"^[ \t]*#[ \t]*include[ \t]*<stdio\.h>[^\n]*\n", RegexOptions.Multiline)]
    private static partial Regex StdioInclude();

    /// <summary>
    /// The first kernel launch given a device buffer that a cudaMemcpy pairs with a host array, launched with the
    /// host array instead (<c>sweep&lt;&lt;&lt;g, b&gt;&gt;&gt;(n, u, dv)</c> for <c>(n, du, dv)</c>).
    /// </summary>
    private static string? PassHostArray(string code)
    {
        var hostOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match copy in CudaMemcpy().Matches(code))
        {
            var toDevice = copy.Groups["direction"].Value == "HostToDevice";
            hostOf.TryAdd(copy.Groups[toDevice ? "dst" : "src"].Value, copy.Groups[toDevice ? "src" : "dst"].Value);
        }

        foreach (Match launch in KernelLaunch().Matches(code))
        {
            var arguments = launch.Groups["args"];
            foreach (Match argument in LaunchArgument().Matches(arguments.Value))
            {
                if (hostOf.TryGetValue(argument.Groups["name"].Value, out var host))
                {
                    var at = arguments.Index + argument.Groups["name"].Index;
                    return code[..at] + host + code[(at + argument.Groups["name"].Length)..];
                }
            }
        }

        return null;
    }

    [GeneratedRegex(@"\bint\s+main\s*\([^)]*\)\s*\{")]
    private static partial Regex MainOpening();

    [GeneratedRegex(@"\batoi\s*\(\s*(argv\s*\[\s*\d+\s*\])\s*\)")]
    private static partial Regex AtoiOfArgument();

    [GeneratedRegex(@"\s*reduction\s*\(\s*\+\s*:\s*[\w, ]+\)")]
    private static partial Regex ReductionClause();

    [GeneratedRegex(@"^[ \t]*#[ \t]*pragma[ \t]+omp[ \t]+single[^\n]*\n", RegexOptions.Multiline)]
    private static partial Regex OmpSingle();

    /// <summary>A test for rank 0 that matters: not one that only picks who prints the usage or an error message.</summary>
    [GeneratedRegex(@"\b(rank|my_rank|myrank|world_rank)\s*==\s*0\b(?![^\n]*fprintf\s*\(\s*stderr)")]
    private static partial Regex RankIsZero();

    [GeneratedRegex(@"__global__[^{;]*\{")]
    private static partial Regex GlobalFunctionBody();

    /// <summary>A C89 counted loop, <c>for (i = 0;</c>, its counter declared at the top of the block.</summary>
    [GeneratedRegex(@"\bfor\s*\(\s*([A-Za-z_]\w*)\s*=(?!=)")]
    private static partial Regex C89LoopStart();

    // An MPI call argument: anything up to the next comma outside parentheses (two levels: "(int)((J + 1) % size)").
    private const string Argument = @"(?:[^,()]|\((?:[^()]|\([^()]*\))*\))+?";

    /// <summary>The element count of a call that has one right after its buffer(s).</summary>
    [GeneratedRegex(@"(?:\bMPI_(?:Bcast|Gatherv?|Send|Isend)\s*\(\s*" + Argument + @",\s*|\bMPI_(?:Reduce|Allreduce)\s*\(\s*" + Argument + @",\s*" + Argument + @",\s*)(?<count>" + Argument + @")(?=\s*,)")]
    private static partial Regex MpiCount();

    /// <summary>The tag of a point-to-point send: the fifth argument of MPI_Send, MPI_Isend, MPI_Ssend and MPI_Sendrecv.</summary>
    [GeneratedRegex(@"\bMPI_(?:Send|Isend|Ssend|Sendrecv)\s*\(\s*(?:" + Argument + @",\s*){4}(?<tag>" + Argument + @")(?=\s*,)")]
    private static partial Regex MpiSendTag();

    [GeneratedRegex(@"cudaMemcpy\s*\(\s*(?<dst>&?\w+)\s*,\s*(?<src>&?\w+)\s*,[^;]*?cudaMemcpy(?<direction>HostToDevice|DeviceToHost)")]
    private static partial Regex CudaMemcpy();

    [GeneratedRegex(@"<<<[^;]*?>>>\s*\((?<args>[^;]*)\)\s*;")]
    private static partial Regex KernelLaunch();

    [GeneratedRegex(@"(?:^|,)\s*(?<name>\w+)\s*(?=,|$)")]
    private static partial Regex LaunchArgument();
}
