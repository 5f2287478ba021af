using System.Text.Json;
using System.Text.Json.Serialization;
using Kernelsmith.Contracts.Experiments;

namespace Kernelsmith.Results.Reports;

/// <summary>A chat message as trainers read it; <see cref="Weight"/> 0 marks an assistant turn not to learn from (OpenAI's chat fine-tuning format).</summary>
public sealed record ChatMessage(
    [property: JsonPropertyName("role")] string Role,
    [property: JsonPropertyName("content")] string Content)
{
    [JsonPropertyName("weight"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Weight { get; init; }
}

/// <summary>One line of <c>openai-chat.jsonl</c>: the OpenAI chat fine-tuning format.</summary>
public sealed record OpenAiChatExample([property: JsonPropertyName("messages")] IReadOnlyList<ChatMessage> Messages);

/// <summary>One line of <c>trl-dpo.jsonl</c>: TRL's conversational preference format (DPOTrainer).</summary>
public sealed record TrlPreference(
    [property: JsonPropertyName("prompt")] IReadOnlyList<ChatMessage> Prompt,
    [property: JsonPropertyName("chosen")] IReadOnlyList<ChatMessage> Chosen,
    [property: JsonPropertyName("rejected")] IReadOnlyList<ChatMessage> Rejected);

/// <summary>One line of <c>trl-kto.jsonl</c>: TRL's conversational unpaired preference format (KTOTrainer).</summary>
public sealed record TrlUnpaired(
    [property: JsonPropertyName("prompt")] IReadOnlyList<ChatMessage> Prompt,
    [property: JsonPropertyName("completion")] IReadOnlyList<ChatMessage> Completion,
    [property: JsonPropertyName("label")] bool Label);

/// <summary>
/// <c>export --format openai-chat|trl-dpo|trl-kto|trajectories</c>: the examples and pairs of <see cref="DatasetExport"/> in
/// the formats trainers take as they are (docs/results.md). Every conversation starts with the system turn the model was
/// given, when its prompt had one.
/// </summary>
public static class TrainerFormats
{
    public const string OpenAiChat = "openai-chat";
    public const string TrlDpo = "trl-dpo";
    public const string TrlKto = "trl-kto";
    public const string Trajectories = "trajectories";
    public const string Jsonl = "jsonl";
    public static readonly IReadOnlyList<string> All = [Jsonl, OpenAiChat, TrlDpo, TrlKto, Trajectories];

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = false };

    /// <summary>Writes <c>openai-chat.jsonl</c>: one conversation per correct example, the failed answers of a repair weighted 0; its count.</summary>
    public static int WriteOpenAiChat(IEnumerable<(string AttemptsFolder, DatasetExample Example)> examples, string output) =>
        Write(output, OpenAiChat, examples.Where(e => e.Example.Correct && e.Example.Answer.Length > 0).Select(e =>
        {
            var conversation = AttemptConversation.Read(e.AttemptsFolder);
            var messages = conversation.Rounds.Count > 0
                ? conversation.Messages(conversation.Rounds.Count - 1, i => i == conversation.Rounds.Count - 1 ? null : 0)
                : [new ChatMessage("user", e.Example.Prompt), new ChatMessage("assistant", e.Example.Answer)];
            return new OpenAiChatExample(messages);
        }).Where(c => c.Messages.Count >= 2));

    /// <summary>Writes <c>trl-dpo.jsonl</c>: one line per preference pair, the system and user turns as the prompt, each answer as an assistant turn; its count.</summary>
    public static int WriteTrlDpo(IEnumerable<PreferencePair> pairs, string output) =>
        Write(output, TrlDpo, pairs.Select(p => new TrlPreference(
            Opening(p.System, p.Prompt),
            [new ChatMessage("assistant", p.Chosen.Answer)],
            [new ChatMessage("assistant", p.Rejected.Answer)])));

    /// <summary>
    /// Writes <c>trl-kto.jsonl</c>: every round's answer labelled by that round's verdict (true only for <c>correct</c>), its
    /// prompt the conversation that led to it, so a failed first answer and its repair are both learnt from; its count.
    /// </summary>
    public static int WriteTrlKto(IEnumerable<(string AttemptsFolder, DatasetExample Example)> examples, string output) =>
        Write(output, TrlKto, examples.SelectMany(e =>
        {
            var conversation = AttemptConversation.Read(e.AttemptsFolder);
            return conversation.Rounds.Select((round, i) => (round, i))
                .Where(r => r.round.Verdict != Verdict.InfraError.ToWireName())
                .Select(r => new TrlUnpaired(
                    conversation.Messages(r.i)[..^1],
                    [new ChatMessage("assistant", r.round.Answer)],
                    r.round.Verdict == Verdict.Correct.ToWireName()));
        }));

    /// <summary>Writes <c>trajectories.jsonl</c>: one repair trajectory per experiment with its final verdict, speedup and reward; its count.</summary>
    public static int WriteTrajectories(IEnumerable<(string AttemptsFolder, DatasetExample Example)> examples, string output) =>
        Write(output, Trajectories, examples.Select(e => (Conversation: AttemptConversation.Read(e.AttemptsFolder), e.Example))
            .Where(e => e.Conversation.Rounds.Count > 0)
            .Select(e => RepairTrajectory.From(e.Example, e.Conversation)));

    /// <summary>The opening a prompt-only format gives: the system turn when there is one, then the user's prompt.</summary>
    private static List<ChatMessage> Opening(string system, string prompt) =>
        system.Length > 0 ? [new ChatMessage("system", system), new ChatMessage("user", prompt)] : [new ChatMessage("user", prompt)];

    private static int Write<T>(string output, string format, IEnumerable<T> lines)
    {
        var text = lines.Select(l => JsonSerializer.Serialize(l, s_json)).ToList();
        File.WriteAllLines(Path.Combine(output, format + ".jsonl"), text);
        return text.Count;
    }
}
