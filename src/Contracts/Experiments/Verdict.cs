using System.Text.Json.Serialization;

namespace Kernelsmith.Contracts.Experiments;

/// <summary>
/// The outcome of one experiment. <see cref="InfraError"/> is the system's failure, never the model's;
/// <see cref="NotParallel"/> is a program whose output passed every check but that does nothing in parallel: never a
/// successful port. Values are persisted: a new verdict goes at the end.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<Verdict>))]
public enum Verdict
{
    [JsonStringEnumMemberName("correct")] Correct,
    [JsonStringEnumMemberName("wrong_output")] WrongOutput,
    [JsonStringEnumMemberName("runtime_error")] RuntimeError,
    [JsonStringEnumMemberName("timeout")] Timeout,
    [JsonStringEnumMemberName("build_error")] BuildError,
    [JsonStringEnumMemberName("no_code")] NoCode,
    [JsonStringEnumMemberName("infra_error")] InfraError,
    [JsonStringEnumMemberName("not_parallel")] NotParallel,
}

public static class VerdictNames
{
    /// <summary>The wire name of a verdict, as it appears in results files and reports.</summary>
    public static string ToWireName(this Verdict verdict) => verdict switch
    {
        Verdict.Correct => "correct",
        Verdict.WrongOutput => "wrong_output",
        Verdict.RuntimeError => "runtime_error",
        Verdict.Timeout => "timeout",
        Verdict.BuildError => "build_error",
        Verdict.NoCode => "no_code",
        Verdict.InfraError => "infra_error",
        Verdict.NotParallel => "not_parallel",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, null),
    };
}

/// <summary>The steps of an experiment's state machine, in the order they normally run.</summary>
/// <remarks>Values are persisted: a new stage gets a new number, existing numbers never change.</remarks>
public enum ExperimentStage
{
    Pending = 0,
    Generate = 1,
    Extract = 2,
    Build = 3,
    Run = 4,
    Verify = 5,

    /// <summary>Untimed runs on the kernel's amplified inputs (edge sizes, other seeds, extra rank counts).</summary>
    Amplify = 10,

    /// <summary>Untimed sanitizer runs (data races, memory errors) after the output was verified.</summary>
    Sanitize = 9,
    Repair = 6,
    Record = 7,
    Done = 8,
}
