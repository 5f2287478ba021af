using System.Text.RegularExpressions;
using Kernelsmith.Contracts.Kernels;

namespace Kernelsmith.Grains.Extraction;

/// <summary>The files taken from a model's answer, or why there were none.</summary>
public sealed record Extraction(IReadOnlyList<CodeFile> Files, string? NoCodeReason)
{
    public bool HasCode => Files.Count > 0;
}

/// <summary>
/// Takes source files out of a model's answer: fenced code blocks in C, C++ or CUDA, named by a file name
/// written just before the block when there is one. Never throws on garbled, truncated or huge answers.
/// </summary>
public static partial class CodeExtractor
{
    public const int MaxAnswerChars = 1 << 20;

    private static readonly HashSet<string> s_codeLanguages = ["", "c", "cpp", "c++", "cc", "cxx", "h", "hpp", "cuda", "cu"];

    public static Extraction Extract(string answer, string technology, string language)
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
        foreach (Match block in FencedBlock().Matches(answer))
        {
            var fenceLanguage = block.Groups["lang"].Value.Trim().ToLowerInvariant();
            var body = block.Groups["body"].Value;
            if (!s_codeLanguages.Contains(fenceLanguage) || !LooksLikeCode(body))
            {
                continue;
            }

            var name = NameBefore(answer, block.Index) ?? DefaultName(body, technology, language, files.Count);
            files.RemoveAll(f => f.Path == name);
            files.Add(new CodeFile(name, body.TrimEnd() + "\n"));
        }

        if (files.Count == 0 && !answer.Contains("```", StringComparison.Ordinal) && LooksLikeCode(answer) && answer.Contains("main", StringComparison.Ordinal))
        {
            files.Add(new CodeFile(DefaultName(answer, technology, language, 0), answer.TrimEnd() + "\n"));
        }

        if (files.Count == 0)
        {
            return new([], answer.Contains("```", StringComparison.Ordinal)
                ? "the answer's code blocks hold no C, C++ or CUDA source (or a block is not closed)"
                : "the answer contains no code block");
        }

        if (!files.Any(f => MainFunction().IsMatch(f.Content)))
        {
            return new(files, "no extracted file defines main()");
        }

        return new(files, null);
    }

    private static bool LooksLikeCode(string text) =>
        text.Contains("#include", StringComparison.Ordinal) || text.Contains("#pragma", StringComparison.Ordinal) || text.Contains('{') && text.Contains(';');

    private static string? NameBefore(string answer, int blockStart)
    {
        var lineStart = answer.LastIndexOf('\n', Math.Max(0, blockStart - 2)) + 1;
        var previous = answer[lineStart..blockStart];
        var match = FileName().Match(previous);
        return match.Success ? match.Groups["name"].Value : null;
    }

    private static string DefaultName(string body, string technology, string language, int index)
    {
        var extension = technology == "cuda" ? ".cu" : language == "cpp" ? ".cpp" : ".c";
        if (!MainFunction().IsMatch(body) && body.Contains("#pragma once", StringComparison.Ordinal))
        {
            return $"header{index}.h";
        }

        return index == 0 ? "main" + extension : $"file{index}{extension}";
    }

    [GeneratedRegex(@"^[ \t]*```(?<lang>[^\n`]*)\n(?<body>.*?)\n[ \t]*```", RegexOptions.Singleline | RegexOptions.Multiline, matchTimeoutMilliseconds: 2000)]
    private static partial Regex FencedBlock();

    [GeneratedRegex(@"(?<name>[A-Za-z0-9_\-]+\.(?:c|cc|cpp|cxx|cu|h|hpp|cuh))\b", RegexOptions.None, matchTimeoutMilliseconds: 500)]
    private static partial Regex FileName();

    [GeneratedRegex(@"\bmain\s*\(", RegexOptions.None, matchTimeoutMilliseconds: 500)]
    private static partial Regex MainFunction();
}
