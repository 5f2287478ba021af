using Kernelsmith.Contracts.Experiments;

namespace Kernelsmith.Results.Reports;

/// <summary>One round as the model saw it: what it was asked (the first prompt, then each repair's feedback), its answer, and the round's verdict.</summary>
public sealed record ConversationRound(string Asked, string Answer, string Verdict);

/// <summary>
/// An experiment's conversation read back from its attempts folder (<c>round-N/system.md</c>, <c>prompt.md</c>,
/// <c>answer.md</c>, <c>verdict.txt</c>): the one way the trainer formats rebuild what the model was told and answered.
/// </summary>
public sealed record AttemptConversation(string System, IReadOnlyList<ConversationRound> Rounds)
{
    /// <summary>The rounds in order; a round without a prompt or an answer ends the conversation there (nothing after it was asked).</summary>
    public static AttemptConversation Read(string folder)
    {
        var rounds = Directory.Exists(folder)
            ? Directory.GetDirectories(folder, "round-*").OrderBy(d => int.TryParse(Path.GetFileName(d)["round-".Length..], out var n) ? n : -1).ToList()
            : [];
        var read = new List<ConversationRound>();
        foreach (var round in rounds)
        {
            var (asked, answer) = (Text(round, "prompt.md"), Text(round, "answer.md"));
            if (asked.Length == 0 || answer.Length == 0)
            {
                break;
            }

            var verdict = Text(round, "verdict.txt").Split('\n')[0].Trim();
            read.Add(new ConversationRound(asked, answer, verdict.Length > 0 ? verdict : Contracts.Experiments.Verdict.InfraError.ToWireName()));
        }

        return new AttemptConversation(rounds.Count > 0 ? Text(rounds[0], ResultsDirectory.SystemFile) : "", read);
    }

    /// <summary>The system turn (when there is one), then each round's question and answer, up to and including round <paramref name="upTo"/>.</summary>
    public List<ChatMessage> Messages(int upTo, Func<int, int?>? weight = null)
    {
        var messages = System.Length > 0 ? new List<ChatMessage> { new("system", System) } : [];
        for (var i = 0; i <= upTo && i < Rounds.Count; i++)
        {
            messages.Add(new ChatMessage("user", Rounds[i].Asked));
            messages.Add(new ChatMessage("assistant", Rounds[i].Answer) { Weight = weight?.Invoke(i) });
        }

        return messages;
    }

    private static string Text(string folder, string file) => File.Exists(Path.Combine(folder, file)) ? File.ReadAllText(Path.Combine(folder, file)) : "";
}
