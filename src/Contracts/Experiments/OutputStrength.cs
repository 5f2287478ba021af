using System.Text.Json.Serialization;

namespace Kernelsmith.Contracts.Experiments;

/// <summary>
/// How much the sequential reference's output on the run input can tell a wrong program from a right one: its size, the
/// numbers left once the kernel's <c>compare</c> rules dropped ignored lines and masked fields, and whether it changes
/// from one input to another. A <c>correct</c> verdict resting on a weak output (one number, or an output that is the
/// same whatever the input) says little.
/// </summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.OutputStrength")]
public sealed record OutputStrength(
    [property: JsonPropertyName("bytes")] int Bytes,
    [property: JsonPropertyName("lines")] int Lines,
    [property: JsonPropertyName("numbers")] int Numbers)
{
    /// <summary>Whether the reference printed something else on the kernel's amplified inputs; null when they were not run.</summary>
    [Id(3), JsonPropertyName("changes_across_inputs"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? ChangesAcrossInputs { get; init; }

    /// <summary>Why a verdict resting on this output is weak ("1 number compared", "the same output on every input"); null when it is not.</summary>
    [Id(4), JsonPropertyName("weakness"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Weakness { get; init; }

    public override string ToString() => $"{Bytes} bytes, {Lines} line{(Lines == 1 ? "" : "s")}, {Numbers} number{(Numbers == 1 ? "" : "s")} compared";
}
