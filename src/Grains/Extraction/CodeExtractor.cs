using System.Text.RegularExpressions;
using Kernelsmith.Contracts.Kernels;

namespace Kernelsmith.Grains.Extraction;

/// <summary>The files taken from a model's answer, or why there were none.</summary>
public sealed record Extraction(IReadOnlyList<CodeFile> Files, string? NoCodeReason)
{
    public bool HasCode => Files.Count > 0;

    /// <summary>The answer's fenced blocks that were not taken as files, each with where it was and why: the round's extract log shows them.</summary>
    public IReadOnlyList<string> Dropped { get; init; } = [];
}

/// <summary>
/// Takes source files out of a model's answer: fenced code blocks in C, C++ or CUDA, named by a file name
/// written just before the block when there is one. A block in a C, C++, CUDA or header fence is always code, whatever it
/// holds (a header of prototypes and an include guard has no braces); a block in a bare fence is code when it looks
/// like C (a preprocessor directive, braces and a semicolon, or a named header's declarations). Every block not taken
/// is listed in <see cref="Extraction.Dropped"/> with the reason. Never throws on garbled, truncated or huge answers, and takes time
/// linear in the answer (every pattern runs on the non-backtracking engine): a degenerate answer ends as the answer's
/// verdict, never as a timeout charged to the infrastructure.
/// </summary>
public static partial class CodeExtractor
{
    public const int MaxAnswerChars = 1 << 20;

    /// <summary>The reason given when the answer's files hold no <c>main</c>: no code, unless the kernel's files it leaves alone do.</summary>
    public const string NoMain = "no extracted file defines main()";

    private static readonly HashSet<string> s_codeLanguages = ["c", "cpp", "c++", "cc", "cxx", "h", "hpp", "cuh", "cuda", "cu"];

    /// <summary>How many dropped blocks the log lists one by one; the rest are counted.</summary>
    private const int MaxDroppedListed = 20;

    /// <summary>Build and job files are kept when the answer names them, though the agent builds from sources only.</summary>
    private static readonly HashSet<string> s_scriptLanguages = ["make", "makefile", "bash", "sh", "shell", "slurm"];

    /// <summary>
    /// Takes the files of one program out of an answer. When the prompt asked for several suggestions, the answer's
    /// programs (each ending with the file that defines main) are numbered, and <paramref name="suggestion"/> picks one.
    /// </summary>
    public static Extraction Extract(string answer, string technology, string language, int suggestion = 0, int suggestions = 1)
    {
        if (string.IsNullOrWhiteSpace(answer))
        {
            return new([], "the answer is empty");
        }

        if (answer.Length > MaxAnswerChars)
        {
            answer = answer[..MaxAnswerChars];
        }

        var files = new List<CodeFile>();
        var scripts = new List<CodeFile>();
        var dropped = new List<string>();
        var number = 0;
        foreach (Match block in FencedBlock().Matches(answer))
        {
            number++;
            var fenceLanguage = block.Groups["lang"].Value.Trim().ToLowerInvariant();
            var body = block.Groups["body"].Value;
            var named = NameBefore(answer, block.Index);
            if (s_scriptLanguages.Contains(fenceLanguage) || named is not null && ScriptName().IsMatch(named))
            {
                if (named is not null && ScriptName().IsMatch(named))
                {
                    scripts.Add(new CodeFile(named, body.TrimEnd() + "\n"));
                }
                else
                {
                    Drop(dropped, number, fenceLanguage, body, named, "a command or script with no file name, not a source file");
                }

                continue;
            }

            var isCode = fenceLanguage.Length == 0 ? LooksLikeCode(body) || IsHeaderName(named) && body.Contains(';', StringComparison.Ordinal) : s_codeLanguages.Contains(fenceLanguage);
            if (!isCode)
            {
                Drop(dropped, number, fenceLanguage, body, named, fenceLanguage.Length == 0
                    ? "an unlabelled block that does not look like C, C++ or CUDA (no preprocessor directive, no braces with a semicolon)"
                    : $"labelled '{fenceLanguage}', not C, C++ or CUDA");
                continue;
            }

            var name = named ?? DefaultName(body, technology, language, files.Count);
            files.Add(new CodeFile(name, body.TrimEnd() + "\n"));
        }

        if (dropped.Count > MaxDroppedListed)
        {
            dropped = [.. dropped.Take(MaxDroppedListed), $"... and {dropped.Count - MaxDroppedListed} more blocks"];
        }

        return Result(files, scripts, answer, technology, language, suggestion, suggestions) with { Dropped = dropped };
    }

    private static Extraction Result(List<CodeFile> files, List<CodeFile> scripts, string answer, string technology, string language, int suggestion, int suggestions)
    {
        if (files.Count == 0 && !answer.Contains("```", StringComparison.Ordinal) && LooksLikeCode(answer) && answer.Contains("main", StringComparison.Ordinal))
        {
            files.Add(new CodeFile(DefaultName(answer, technology, language, 0), answer.TrimEnd() + "\n"));
        }

        // A later block with the same name is a revision of the earlier one ("here is the fixed version"), except
        // when several suggestions were asked for: then each is its own program.
        if (suggestions <= 1)
        {
            files = files.GroupBy(f => f.Path).Select(g => g.Last()).ToList();
        }

        if (files.Count == 0)
        {
            return new([], answer.Contains("```", StringComparison.Ordinal)
                ? "the answer's code blocks hold no C, C++ or CUDA source (or a block is not closed)"
                : "the answer contains no code block");
        }

        if (!files.Any(f => MainFunction().IsMatch(f.Content)))
        {
            return new(files, NoMain);
        }

        if (suggestions <= 1)
        {
            return new([.. files, .. scripts], null);
        }

        var programs = Programs(files);
        return suggestion < programs.Count
            ? new(programs[suggestion], null)
            : new([], $"the answer holds {programs.Count} complete program(s), not the {suggestions} suggestions asked for");
    }

    /// <summary>Groups files into programs: each program ends with a file that defines main.</summary>
    private static List<List<CodeFile>> Programs(IReadOnlyList<CodeFile> files)
    {
        var programs = new List<List<CodeFile>>();
        var current = new List<CodeFile>();
        foreach (var file in files)
        {
            current.Add(file);
            if (MainFunction().IsMatch(file.Content))
            {
                programs.Add(current);
                current = [];
            }
        }

        return programs;
    }

    private static bool LooksLikeCode(string text) =>
        text.Contains("#include", StringComparison.Ordinal) || text.Contains("#pragma", StringComparison.Ordinal) || Directive().IsMatch(text)
        || text.Contains('{') && text.Contains(';');

    private static bool IsHeaderName(string? name) =>
        name is not null && (name.EndsWith(".h", StringComparison.Ordinal) || name.EndsWith(".hpp", StringComparison.Ordinal) || name.EndsWith(".cuh", StringComparison.Ordinal));

    private static void Drop(List<string> dropped, int number, string fenceLanguage, string body, string? named, string why)
    {
        var lines = body.Count(c => c == '\n') + 1;
        var after = named is null ? "" : $", after a line naming '{named}'";
        dropped.Add($"block {number} (```{fenceLanguage}, {lines} line{(lines == 1 ? "" : "s")}{after}): {why}");
    }

    /// <summary>
    /// A file name on the last non-blank line before a block ("`heat.c`:", "**stencil.h**", "Makefile:"). Only the
    /// line's last <see cref="MaxNameLine"/> characters are looked at, and nothing before it is copied: an answer of
    /// thousands of blocks or one endless line stays linear.
    /// </summary>
    private static string? NameBefore(string answer, int blockStart)
    {
        var end = blockStart;
        while (end > 0 && char.IsWhiteSpace(answer[end - 1]))
        {
            end--;
        }

        var floor = Math.Max(0, end - MaxNameLine);
        var start = end == 0 ? 0 : answer.LastIndexOf('\n', end - 1, end - floor) + 1;
        var match = FileName().Match(answer[Math.Max(start, floor)..end]);
        return match.Success ? match.Groups["name"].Value : null;
    }

    private const int MaxNameLine = 300;

    private static string DefaultName(string body, string technology, string language, int index)
    {
        var extension = technology == "cuda" ? ".cu" : language == "cpp" ? ".cpp" : ".c";
        if (!MainFunction().IsMatch(body) && body.Contains("#pragma once", StringComparison.Ordinal))
        {
            return $"header{index}.h";
        }

        return MainFunction().IsMatch(body) ? "main" + extension : $"file{index}{extension}";
    }

    [GeneratedRegex(@"^[ \t]*```(?<lang>[^\n`]*)\n(?<body>.*?)\n[ \t]*```", RegexOptions.Singleline | RegexOptions.Multiline | RegexOptions.NonBacktracking)]
    private static partial Regex FencedBlock();

    [GeneratedRegex(@"(?<name>Makefile|makefile|[A-Za-z0-9_\-]+\.(?:c|cc|cpp|cxx|cu|h|hpp|cuh|sh|slurm|sbatch|mk))\b", RegexOptions.NonBacktracking)]
    private static partial Regex FileName();

    [GeneratedRegex(@"^(Makefile|makefile|.*\.(sh|slurm|sbatch|mk))$", RegexOptions.NonBacktracking)]
    private static partial Regex ScriptName();

    [GeneratedRegex(@"^[ \t]*#[ \t]*(?:define|ifndef|ifdef|if|endif|include|pragma)\b", RegexOptions.Multiline | RegexOptions.NonBacktracking)]
    private static partial Regex Directive();

    [GeneratedRegex(@"\bmain\s*\(", RegexOptions.NonBacktracking)]
    private static partial Regex MainFunction();
}
