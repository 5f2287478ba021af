using System.Text.RegularExpressions;
using Kernelsmith.Contracts.Kernels;

namespace Kernelsmith.Grains.Extraction;

/// <summary>
/// The program an answer stands for: the kernel's own sources, with the answer's files replacing those they name and
/// adding new ones, so that an answer to a multi-file program need not repeat the files it leaves alone.
/// </summary>
/// <param name="Files">What is built: the answer's files first, then the kernel's files it kept.</param>
/// <param name="Changed">The answer's files that differ from the kernel's file of the same name, or that the kernel has not.</param>
/// <param name="Kept">The kernel's files built as they are.</param>
/// <param name="Log">What came from where, one line each, for the round's extract log.</param>
public sealed record MergedProgram(IReadOnlyList<CodeFile> Files, IReadOnlyList<string> Changed, IReadOnlyList<string> Kept, IReadOnlyList<string> Log)
{
    /// <summary>Whether some file of the program defines <c>main</c>: an answer may change only files that do not.</summary>
    public bool HasMain => Files.Any(f => ProgramMerge.IsCompiled(f) && ProgramMerge.DefinesMain(f.Content));
}

/// <summary>
/// Merges an answer's files with a kernel's sources. A kernel file is matched by its file name. A kernel file the
/// answer does not name is kept, unless the answer already holds what it defines: a kernel source defining
/// <c>main</c> when an answer file defines <c>main</c> (the answer's whole program under another name, e.g. an unnamed
/// block or <c>gemm.cu</c> for <c>gemm.c</c>), or one defining a function an answer file defines too (the answer
/// folded that file into its own). Headers are always kept: they are compiled only where included.
/// </summary>
public static partial class ProgramMerge
{
    private static readonly HashSet<string> s_compiled = [".c", ".cc", ".cpp", ".cxx", ".cu"];

    private static readonly HashSet<string> s_keywords = ["if", "for", "while", "switch", "return", "sizeof", "else", "do"];

    public static MergedProgram Merge(IReadOnlyList<CodeFile> answer, IReadOnlyList<CodeFile> kernelSources)
    {
        var named = answer.Select(f => Path.GetFileName(f.Path)).ToHashSet(StringComparer.Ordinal);
        var defined = answer.Where(IsCompiled).SelectMany(f => Functions(f.Content)).ToHashSet(StringComparer.Ordinal);
        var log = new List<string>();
        var changed = new List<string>();
        foreach (var file in answer)
        {
            var original = kernelSources.FirstOrDefault(k => Path.GetFileName(k.Path) == Path.GetFileName(file.Path));
            if (original is null)
            {
                changed.Add(file.Path);
                log.Add($"{file.Path}: from the answer (a new file)");
            }
            else if (Same(original.Content, file.Content))
            {
                log.Add($"{file.Path}: from the answer, the same as the kernel's");
            }
            else
            {
                changed.Add(file.Path);
                log.Add($"{file.Path}: from the answer, replacing the kernel's");
            }
        }

        var kept = new List<CodeFile>();
        foreach (var source in kernelSources.Where(k => !named.Contains(Path.GetFileName(k.Path))))
        {
            var clash = IsCompiled(source) ? Functions(source.Content).FirstOrDefault(defined.Contains) : null;
            if (clash is not null)
            {
                log.Add($"{source.Path}: the kernel's, left out: the answer defines {clash}() itself");
                continue;
            }

            kept.Add(source);
            log.Add($"{source.Path}: the kernel's, unchanged (the answer does not give it)");
        }

        return new MergedProgram([.. answer, .. kept], changed, [.. kept.Select(k => k.Path)], log);
    }

    internal static bool DefinesMain(string source) => Functions(source).Contains("main", StringComparer.Ordinal);

    internal static bool IsCompiled(CodeFile file) => s_compiled.Contains(Path.GetExtension(file.Path));

    private static bool Same(string a, string b) => a.ReplaceLineEndings().TrimEnd() == b.ReplaceLineEndings().TrimEnd();

    /// <summary>The names of the functions a C, C++ or CUDA file defines at file scope (a definition starts at a line's first column).</summary>
    private static IEnumerable<string> Functions(string source) =>
        FunctionDefinition().Matches(source).Select(m => m.Groups["name"].Value).Where(n => !s_keywords.Contains(n)).Distinct();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_ \t\*&:<>,]*?[ \t\*&](?<name>[A-Za-z_][A-Za-z0-9_]*)[ \t]*\([^;{}()]*(?:\([^;{}()]*\)[^;{}()]*)*\)[ \t\r\n]*(?:const[ \t\r\n]*)?\{",
        RegexOptions.Multiline | RegexOptions.NonBacktracking)]
    private static partial Regex FunctionDefinition();
}
