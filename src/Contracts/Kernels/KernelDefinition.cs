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
    string ContentHash)
{
    /// <summary>
    /// Small untimed inputs every parallel program must also get right: edge sizes (one item, fewer items than
    /// threads or ranks, sizes no count divides) and other seeds, so hard-coded or copied outputs fail.
    /// </summary>
    [Id(11)]
    public IReadOnlyDictionary<string, KernelInput> Amplified { get; init; } = new Dictionary<string, KernelInput>();

    /// <summary>
    /// A regular expression whose first group is the kernel time in seconds the program prints (<c>timing: { from_output }</c>
    /// in kernel.yaml), e.g. <c>Kernel executed in ([0-9.eE+-]+) seconds</c>; null when speedups are taken from wall times only.
    /// </summary>
    [Id(12)]
    public string? TimingPattern { get; init; }

    /// <summary>
    /// <c>perturb</c> in kernel.yaml: definitions and substitutions that change what the program computes, which
    /// <c>kernels validate --run</c> builds the reference with to see whether the output (as compared) notices; null when none.
    /// </summary>
    [Id(13)]
    public KernelInput? Perturbation { get; init; }

    /// <summary><c>check</c> in kernel.yaml: the user's program that judges the output files; null when outputs are only compared.</summary>
    [Id(14)]
    public OutputCheck? Check { get; init; }

    /// <summary>A main or amplified input by name.</summary>
    public KernelInput Input(string name) =>
        Inputs.TryGetValue(name, out var input) ? input
        : Amplified.TryGetValue(name, out var amplified) ? amplified
        : throw new KeyNotFoundException($"kernel '{Id}' has no input '{name}' (inputs: {string.Join(", ", Inputs.Keys.Concat(Amplified.Keys))})");
}

/// <summary>
/// A checker of a kernel's output files: <paramref name="Command"/> runs under <c>/bin/sh -c</c> in the sandbox, in a
/// folder holding <paramref name="Files"/> (the checker's own: a script, expected values), the program's output files
/// under their names and the reference's under <c>reference/</c>; exit status 0 passes. The files it judges
/// (<paramref name="Outputs"/>) are left out of the output comparison.
/// </summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.OutputCheck")]
public sealed record OutputCheck(string Command, IReadOnlyList<CodeFile> Files, IReadOnlyList<string> Outputs);

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
    IReadOnlyList<string> OutputFiles)
{
    /// <summary>
    /// Preprocessor definitions the input builds with (<c>defines: { N: 2000 }</c> is <c>-DN=2000</c>): the reference and
    /// every answer alike, for sizes a program fixes in its source.
    /// </summary>
    [Id(5)]
    public IReadOnlyDictionary<string, string> Defines { get; init; } = new Dictionary<string, string>();

    /// <summary>Literal replacements in named source files, applied to the reference and every answer before they are built.</summary>
    [Id(6)]
    public IReadOnlyList<SourceSubstitution> Substitutions { get; init; } = [];
}

/// <summary>One <c>substitute</c> entry of an input: <paramref name="Text"/> in <paramref name="File"/> becomes <paramref name="Replacement"/>.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.SourceSubstitution")]
public sealed record SourceSubstitution(string File, string Text, string Replacement);

/// <summary>How a candidate's output is compared with the reference's.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.OutputComparison")]
public sealed record OutputComparison(
    string Mode,
    double AbsoluteTolerance,
    double RelativeTolerance,
    IReadOnlyList<string> IgnorePatterns)
{
    /// <summary>
    /// <c>compare.select</c>: regular expressions whose capture groups are what matters on a line they match (e.g. the
    /// result on a line that also prints the program's own timing); such a line is compared as its groups only.
    /// </summary>
    [Id(4)]
    public IReadOnlyList<string> SelectPatterns { get; init; } = [];

    /// <summary><c>compare.mask</c>: regular expressions whose matches (or, when they have groups, whose groups) are left out of every line.</summary>
    [Id(5)]
    public IReadOnlyList<string> MaskPatterns { get; init; } = [];

    /// <summary>Output files a checker judges (<see cref="OutputCheck.Outputs"/>): their sections are not compared.</summary>
    [Id(6)]
    public IReadOnlyList<string> CheckedOutputs { get; init; } = [];
}

public static class ComparisonModes
{
    public const string Exact = "exact";
    public const string Numeric = "numeric";
    public const string Unordered = "unordered";
    public static readonly IReadOnlyList<string> All = [Exact, Numeric, Unordered];
}
