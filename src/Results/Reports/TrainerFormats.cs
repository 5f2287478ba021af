using System.Text.Json;
using System.Text.Json.Serialization;

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

/// <summary>
/// <c>export --format openai-chat|trl-dpo</c>: the examples and pairs of <see cref="DatasetExport"/> in the formats trainers
/// take as they are (docs/results.md). Only correct answers are trained on; a repaired answer keeps its whole
/// conversation, the failed answers in it weighted 0.
/// </summary>
public static class TrainerFormats
{
    public const string OpenAiChat = "openai-chat";
    public const string TrlDpo = "trl-dpo";
    public const string Jsonl = "jsonl";
    public static readonly IReadOnlyList<string> All = [Jsonl, OpenAiChat, TrlDpo];

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = false };

    /// <summary>Writes <c>openai-chat.jsonl</c>: one conversation per correct example; its count.</summary>
    public static int WriteOpenAiChat(IEnumerable<(string AttemptsFolder, DatasetExample Example)> examples, string output)
    {
        var lines = examples.Where(e => e.Example.Correct && e.Example.Answer.Length > 0)
            .Select(e => new OpenAiChatExample(Conversation(e.AttemptsFolder, e.Example)))
            .Where(c => c.Messages.Count >= 2)
            .Select(c => JsonSerializer.Serialize(c, s_json)).ToList();
        File.WriteAllLines(Path.Combine(output, OpenAiChat + ".jsonl"), lines);
        return lines.Count;
    }

    /// <summary>Writes <c>trl-dpo.jsonl</c>: one line per preference pair, the prompt as the user turn, each answer as an assistant turn; its count.</summary>
    public static int WriteTrlDpo(IEnumerable<PreferencePair> pairs, string output)
    {
        var lines = pairs.Select(p => new TrlPreference(
                [new ChatMessage("user", p.Prompt)],
                [new ChatMessage("assistant", p.Chosen.Answer)],
                [new ChatMessage("assistant", p.Rejected.Answer)]))
            .Select(p => JsonSerializer.Serialize(p, s_json)).ToList();
        File.WriteAllLines(Path.Combine(output, TrlDpo + ".jsonl"), lines);
        return lines.Count;
    }

    /// <summary>Every round's prompt and answer, from the attempts folder: the first prompt, then each repair's feedback.</summary>
    private static List<ChatMessage> Conversation(string folder, DatasetExample example)
    {
        var rounds = Directory.Exists(folder)
            ? Directory.GetDirectories(folder, "round-*").OrderBy(d => int.TryParse(Path.GetFileName(d)["round-".Length..], out var n) ? n : -1).ToList()
            : [];
        var messages = new List<ChatMessage>();
        for (var i = 0; i < rounds.Count; i++)
        {
            var prompt = Read(Path.Combine(rounds[i], "prompt.md"));
            var answer = Read(Path.Combine(rounds[i], "answer.md"));
            if (prompt.Length == 0 || answer.Length == 0)
            {
                return messages.Count == 0 ? [new ChatMessage("user", example.Prompt), new ChatMessage("assistant", example.Answer)] : messages;
            }

            messages.Add(new ChatMessage("user", prompt));
            messages.Add(new ChatMessage("assistant", answer) { Weight = i == rounds.Count - 1 ? null : 0 });
        }

        return messages.Count > 0 ? messages : [new ChatMessage("user", example.Prompt), new ChatMessage("assistant", example.Answer)];
    }

    private static string Read(string path) => File.Exists(path) ? File.ReadAllText(path) : "";
}
