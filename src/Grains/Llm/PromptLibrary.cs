using System.Security.Cryptography;
using System.Text;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;

namespace Kernelsmith.Grains.Llm;

/// <summary>The prompt strategies a sweep can name, and the feedback turn of a repair round.</summary>
public static class PromptLibrary
{
    public const string Plain = "plain";
    public static readonly IReadOnlyList<string> Names = [Plain];

    private static readonly Dictionary<string, string> s_technologyNames = new()
    {
        ["openmp"] = "OpenMP",
        ["mpi"] = "MPI",
        ["cuda"] = "CUDA",
    };

    /// <summary>The opening conversation for a kernel ported to a technology.</summary>
    public static IReadOnlyList<ChatTurn> Open(string prompt, KernelDefinition kernel, string technology)
    {
        var language = kernel.Language == "cpp" ? "C++" : "C";
        var target = s_technologyNames.GetValueOrDefault(technology, technology);
        var sources = string.Join("\n", kernel.Sources.Select(f => $"File `{f.Path}`:\n```{kernel.Language}\n{f.Content.TrimEnd()}\n```"));
        return prompt switch
        {
            Plain =>
            [
                ChatTurn.System("You are an expert in high-performance computing. You port sequential programs to parallel ones."),
                ChatTurn.User(
                    $"Parallelise the following sequential {language} program with {target}. Keep its command-line " +
                    "arguments, inputs and output format exactly as they are. Reply with the complete program in one " +
                    $"fenced code block.\n\n{sources}"),
            ],
            _ => throw new ArgumentException($"unknown prompt '{prompt}'", nameof(prompt)),
        };
    }

    /// <summary>The user turn that feeds a failure back to the model.</summary>
    public static ChatTurn Feedback(Verdict verdict, string details) => ChatTurn.User(
        $"Your program failed verification ({verdict.ToWireName()}):\n\n{details.Trim()}\n\n" +
        "Fix the problem and reply with the complete corrected program in one fenced code block.");

    public static string Hash(IReadOnlyList<ChatTurn> turns)
    {
        var text = string.Join("\n\u0000", turns.Select(t => $"{t.Role}\u0000{t.Content}"));
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16];
    }
}
