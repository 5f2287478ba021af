using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Grains.Verification;

namespace Kernelsmith.Grains.Experiments;

/// <summary>
/// One round of generate, extract, build, run and verify, as far as it got. A stage never changes a round: it returns a
/// new one (<c>round with { ... }</c>), and the <see cref="Experiment"/> puts it in place of the old.
/// </summary>
/// <param name="Number">0 for the first answer, then one per repair.</param>
/// <param name="Asked">The turns this round added to the conversation before the model answered: the rendered prompt in
/// round 0, the feedback on the previous round afterwards.</param>
[GenerateSerializer, Immutable, Alias("Kernelsmith.Round")]
public sealed record Round(int Number, IReadOnlyList<ChatTurn> Asked)
{
    /// <summary>The model's answer; null until it answered.</summary>
    [Id(2)] public string? Answer { get; init; }

    [Id(3)] public TokenUsage Tokens { get; init; } = TokenUsage.None;

    [Id(4)] public double? CostUsd { get; init; }

    /// <summary>The model the endpoint said answered this round, and its system fingerprint; null when it said nothing.</summary>
    [Id(28)] public string? ServedModel { get; init; }

    [Id(29)] public string? SystemFingerprint { get; init; }

    /// <summary>The technology in effect once the answer was extracted: the spec's, or the model's choice for <c>auto</c>.</summary>
    [Id(5)] public string? Technology { get; init; }

    [Id(6)] public IReadOnlyList<CodeFile> Files { get; init; } = [];

    /// <summary>Whether the extracted program is parallel at all; null until checked.</summary>
    [Id(7)] public bool? Parallel { get; init; }

    /// <summary>The agent that built the program and holds its artifact.</summary>
    [Id(8)] public string? AgentId { get; init; }

    [Id(9)] public string? ArtifactId { get; init; }

    [Id(10)] public string? Toolchain { get; init; }

    [Id(11)] public string BuildLog { get; init; } = "";

    [Id(12)] public string? Hardware { get; init; }

    /// <summary>The agent's last calibration of its node, as it reported it (empty when never calibrated).</summary>
    [Id(27)] public string? Calibration { get; init; }

    /// <summary>The sequential reference's median time on the agent that ran this round, over the first configuration's pairs.</summary>
    [Id(13)] public double? SequentialSeconds { get; init; }

    /// <summary>One paired timing per configuration (thread or rank count), with its interval, flags and expert speedup.</summary>
    [Id(14)] public IReadOnlyList<RunMeasurement> Runs { get; init; } = [];

    /// <summary>What each configuration's kept runs (its first and last timed run) printed, in the order of <see cref="Runs"/>.</summary>
    [Id(15)] public IReadOnlyList<IReadOnlyList<string>> Outputs { get; init; } = [];

    /// <summary>What the sequential reference printed on the run input.</summary>
    [Id(16)] public string ReferenceOutput { get; init; } = "";

    [Id(17)] public string RunLog { get; init; } = "";

    /// <summary>Classified errors, each with its raw message.</summary>
    [Id(18)] public IReadOnlyList<ErrorFinding> Findings { get; init; } = [];

    /// <summary>Every build and run job of the round, as the agents timed it.</summary>
    [Id(19)] public IReadOnlyList<JobSpan> Jobs { get; init; } = [];

    /// <summary>Correct once verified (not parallel when it passed but runs nothing in parallel), the failure's verdict when a stage failed; null while undecided.</summary>
    [Id(20)] public Verdict? Verdict { get; init; }

    [Id(21)] public string Reason { get; init; } = "";

    /// <summary>What the model is told about the failure in the next round.</summary>
    [Id(22)] public string Feedback { get; init; } = "";

    /// <summary>True once the round's verdict is final: it failed, or it passed every check.</summary>
    [Id(23)] public bool Closed { get; init; }

    /// <summary>Where each built file came from (the answer or the kernel) and which of the answer's blocks were not taken, and why.</summary>
    [Id(24)] public string ExtractLog { get; init; } = "";

    /// <summary>The answer's files that differ from the kernel's, or that the kernel has not; the kernel's others were built as they are.</summary>
    [Id(25)] public IReadOnlyList<string> ChangedFiles { get; init; } = [];

    /// <summary>How each configuration ended on the run input; only the correct ones stay in <see cref="Runs"/>.</summary>
    [Id(26)] public IReadOnlyList<ConfigurationOutcome> Configurations { get; init; } = [];

    /// <summary>Whether the reference printed something else on an amplified input than on the run input; null until they ran.</summary>
    [Id(30)] public bool? ReferenceVaries { get; init; }

    /// <summary>
    /// Ends the round with a verdict. Classified findings are kept with their raw messages and summarised at the top
    /// of the feedback; without any, the verdict itself is the finding, attributed to <paramref name="stage"/>.
    /// </summary>
    public Round Failed(ExperimentStage stage, Verdict verdict, string reason, string feedback, IReadOnlyList<ErrorFinding>? findings = null) =>
        this with
        {
            Verdict = verdict,
            Reason = reason,
            Findings = findings is { Count: > 0 }
                ? [.. Findings, .. findings]
                : [.. Findings, new ErrorFinding(stage.ToString().ToLowerInvariant(), verdict.ToWireName(), Text.Clip(reason, 2000))],
            Feedback = findings is { Count: > 0 } ? RepairFeedback.WithFindings(findings, feedback) : feedback,
        };

    /// <summary>A round that passed every check but was found not parallel: its verdict says so, with the check's reason.</summary>
    public Round NotParallel() => this with
    {
        Verdict = Contracts.Experiments.Verdict.NotParallel,
        Reason = Findings.LastOrDefault(f => f.Category == ErrorCategories.NotParallel)?.Message is { Length: > 0 } why ? $"not parallel: {why}" : "not parallel",
    };

    /// <summary>The round as readers see it: the prompt, the answer, the files, the logs and the verdict.</summary>
    public Attempt ToAttempt() => new(
        Number,
        Asked.LastOrDefault(t => t.Role == "user")?.Content ?? "",
        Answer ?? "",
        Files,
        Text.Clip(BuildLog, 20_000, Text.LogMarker),
        Text.Clip(RunLog, 20_000, Text.LogMarker),
        Verdict ?? Contracts.Experiments.Verdict.InfraError,
        Feedback)
    {
        ExtractLog = ExtractLog,
        System = string.Join("\n\n", Asked.Where(t => t.Role == "system").Select(t => t.Content)),
    };
}
