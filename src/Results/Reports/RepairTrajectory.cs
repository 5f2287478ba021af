using System.Text.Json.Serialization;
using Kernelsmith.Contracts.Experiments;

namespace Kernelsmith.Results.Reports;

/// <summary>
/// One line of <c>trajectories.jsonl</c>: an experiment's multi-turn repair trajectory for reinforcement learning from
/// feedback: the system turn, the prompt, each answer and the feedback that followed it, the verdict of every round, and
/// the outcome as the reward: the final speedup when the final answer is <c>correct</c>, else 0 (as the metrics count an
/// incorrect sample, docs/results.md).
/// </summary>
public sealed record RepairTrajectory(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("kernel")] string Kernel,
    [property: JsonPropertyName("target")] string Target,
    [property: JsonPropertyName("hardware")] string Hardware,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("simulated")] bool Simulated,
    [property: JsonPropertyName("messages")] IReadOnlyList<ChatMessage> Messages,
    [property: JsonPropertyName("round_verdicts")] IReadOnlyList<string> RoundVerdicts,
    [property: JsonPropertyName("verdict")] string Verdict,
    [property: JsonPropertyName("speedup")] double? Speedup,
    [property: JsonPropertyName("speedup_ci")] IReadOnlyList<double>? SpeedupCi,
    [property: JsonPropertyName("reward")] double Reward)
{
    public static RepairTrajectory From(DatasetExample example, AttemptConversation conversation) => new(
        example.Id,
        example.Kernel,
        example.Target,
        example.Hardware,
        example.Provenance.Model,
        example.Provenance.Simulated,
        conversation.Messages(conversation.Rounds.Count - 1),
        [.. conversation.Rounds.Select(r => r.Verdict)],
        example.Verdict,
        example.Speedup,
        example.SpeedupCi,
        example.Verdict == Contracts.Experiments.Verdict.Correct.ToWireName() ? example.Speedup ?? 0 : 0);
}
