namespace Kernelsmith.Contracts.Kernels;

/// <summary>A file carried as text: kernel sources, extracted answers, input files.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.CodeFile")]
public sealed record CodeFile(string Path, string Content);

/// <summary>One catalog kernel, resolved from its folder: everything a silo needs without a filesystem.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.KernelDefinition")]
public sealed record KernelDefinition(
    string Id,
    string Title,
    string Language,
    string Note,
    IReadOnlyList<string> Technologies,
    IReadOnlyList<CodeFile> Sources,
    KernelBuild Build,
    IReadOnlyDictionary<string, KernelInput> Inputs,
    OutputComparison Compare,
    IReadOnlyDictionary<string, IReadOnlyList<CodeFile>> Solutions,
    string ContentHash);

/// <summary>How the sequential reference is compiled; parallel builds add the technology's flags.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.KernelBuild")]
public sealed record KernelBuild(string Compiler, IReadOnlyList<string> Flags, IReadOnlyList<string> Libraries);

/// <summary>A named input set: command-line arguments, standard input and files the program opens.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.KernelInput")]
public sealed record KernelInput(
    string Name,
    IReadOnlyList<string> Args,
    string? Stdin,
    IReadOnlyList<CodeFile> Files,
    IReadOnlyList<string> OutputFiles);

/// <summary>How a candidate's output is compared with the reference's.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.OutputComparison")]
public sealed record OutputComparison(
    string Mode,
    double AbsoluteTolerance,
    double RelativeTolerance,
    IReadOnlyList<string> IgnorePatterns);

public static class ComparisonModes
{
    public const string Exact = "exact";
    public const string Numeric = "numeric";
    public const string Unordered = "unordered";
    public static readonly IReadOnlyList<string> All = [Exact, Numeric, Unordered];
}
