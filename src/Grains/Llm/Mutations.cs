using System.Text.RegularExpressions;

namespace Kernelsmith.Grains.Llm;

/// <summary>
/// A realistic fault a model makes, as a rewrite of correct code. <see cref="Signatures"/> are what a feedback
/// message must mention for the simulated model to "understand" and fix it.
/// </summary>
public sealed record Mutation(string Name, string Technology, Func<string, string?> Inject, IReadOnlyList<string> Signatures)
{
    public bool IsNamedBy(string feedback) => Signatures.Any(s => feedback.Contains(s, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// The faults <c>sim mutant</c> injects: those the study and the literature saw most. Each applies only where its
/// pattern occurs, so a kernel gets the faults its code can have.
/// </summary>
public static partial class Mutations
{
    public const string Any = "any";

    public static readonly IReadOnlyList<Mutation> All =
    [
        new("missing_header", Any, code => RemoveLine(code, StdioInclude()), ["stdio.h", "printf", "stderr"]),
        new("undeclared_identifier", Any, code => InsertInMain(code, "    work_items = 0;"), ["work_items"]),
        new("int_from_pointer", Any, code => Replace(code, AtoiOfArgument(), "$1"), ["int-conversion", "integer from pointer"]),
        new("missing_reduction", "openmp", code => Replace(code, ReductionClause(), ""), ["differs", "race"]),
        new("missing_single", "openmp", code => RemoveLine(code, OmpSingle()), ["differs", "race"]),
        new("wrong_mpi_rank", "mpi", code => Replace(code, RankIsZero(), "$1 == 1"), ["differs", "printed nothing", "rank"]),
        new("host_call_in_device", "cuda", code => Replace(code, GlobalFunctionBody(), "$0\n    exit(1);"), ["__host__", "exit"]),
    ];

    /// <summary>The mutations that apply to this code and technology, in a fixed order.</summary>
    public static IReadOnlyList<(Mutation Mutation, string Code)> Applicable(string code, string technology) =>
        All.Where(m => m.Technology == Any || m.Technology == technology)
            .Select(m => (Mutation: m, Code: m.Inject(code)))
            .Where(x => x.Code is not null && x.Code != code)
            .Select(x => (x.Mutation, x.Code!))
            .ToList();

    private static string? RemoveLine(string code, Regex line) => line.IsMatch(code) ? line.Replace(code, "", 1) : null;

    private static string? Replace(string code, Regex pattern, string replacement) =>
        pattern.IsMatch(code) ? pattern.Replace(code, replacement, 1) : null;

    private static string? InsertInMain(string code, string statement)
    {
        var main = MainOpening().Match(code);
        return main.Success ? code.Insert(main.Index + main.Length, "\n" + statement) : null;
    }

    [GeneratedRegex(@"^[ \t]*#[ \t]*include[ \t]*<stdio\.h>[^\n]*\n", RegexOptions.Multiline)]
    private static partial Regex StdioInclude();

    [GeneratedRegex(@"\bint\s+main\s*\([^)]*\)\s*\{")]
    private static partial Regex MainOpening();

    [GeneratedRegex(@"\batoi\s*\(\s*(argv\s*\[\s*\d+\s*\])\s*\)")]
    private static partial Regex AtoiOfArgument();

    [GeneratedRegex(@"\s*reduction\s*\(\s*\+\s*:\s*[\w, ]+\)")]
    private static partial Regex ReductionClause();

    [GeneratedRegex(@"^[ \t]*#[ \t]*pragma[ \t]+omp[ \t]+single[^\n]*\n", RegexOptions.Multiline)]
    private static partial Regex OmpSingle();

    [GeneratedRegex(@"\b(rank|my_rank|myrank|world_rank)\s*==\s*0\b")]
    private static partial Regex RankIsZero();

    [GeneratedRegex(@"__global__[^{;]*\{")]
    private static partial Regex GlobalFunctionBody();
}
