using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;

namespace Kernelsmith.Grains.Experiments;

/// <summary>An experiment's persisted state: written after every step so a new activation resumes where the last stopped.</summary>
[GenerateSerializer, Alias("Kernelsmith.ExperimentState")]
public sealed class ExperimentState
{
    [Id(0)] public ExperimentSpec? Spec { get; set; }
    [Id(1)] public ExperimentStage Stage { get; set; } = ExperimentStage.Pending;
    [Id(2)] public int Round { get; set; }
    [Id(3)] public List<ChatTurn> Conversation { get; set; } = [];
    [Id(4)] public string Answer { get; set; } = "";
    [Id(5)] public List<CodeFile> Files { get; set; } = [];
    [Id(6)] public string? AgentId { get; set; }
    [Id(7)] public string? ArtifactId { get; set; }
    [Id(8)] public string BuildLog { get; set; } = "";
    [Id(9)] public List<RunMeasurement> Runs { get; set; } = [];
    [Id(10)] public Dictionary<string, string> Outputs { get; set; } = [];
    [Id(11)] public string RunLog { get; set; } = "";
    [Id(12)] public Verdict? Verdict { get; set; }
    [Id(13)] public string Reason { get; set; } = "";
    [Id(14)] public string Feedback { get; set; } = "";
    [Id(15)] public List<ErrorFinding> Findings { get; set; } = [];
    [Id(16)] public List<Attempt> Attempts { get; set; } = [];
    [Id(17)] public TokenUsage Tokens { get; set; } = TokenUsage.None;
    [Id(18)] public string TraceId { get; set; } = "";
    [Id(19)] public double? SequentialSeconds { get; set; }
    [Id(20)] public string Toolchain { get; set; } = "";
    [Id(21)] public string Hardware { get; set; } = "";
    [Id(22)] public string PromptHash { get; set; } = "";
    [Id(23)] public string KernelHash { get; set; } = "";
    [Id(24)] public int InfraFailures { get; set; }
    [Id(25)] public double? CostUsd { get; set; }
    [Id(26)] public string? ChosenTechnology { get; set; }
    [Id(27)] public bool? Parallel { get; set; }

    /// <summary>Every job of every round, as the agents timed it.</summary>
    [Id(28)] public List<JobSpan> Jobs { get; set; } = [];

    /// <summary>W3C traceparent of the experiment's root span: a resumed activation continues this trace.</summary>
    [Id(40)] public string RootSpan { get; set; } = "";

    /// <summary>W3C traceparent of the span that started the experiment (the sweep's); the root span links to it.</summary>
    [Id(41)] public string SweepSpan { get; set; } = "";

    /// <summary>Clears what one round produced, before the next round generates again.</summary>
    public void StartNextRound()
    {
        Round++;
        Answer = "";
        Files = [];
        ArtifactId = null;
        BuildLog = "";
        Runs = [];
        Outputs = [];
        RunLog = "";
        Verdict = null;
        Reason = "";
        Feedback = "";
    }
}
