using System.Collections.Concurrent;
using System.Text.Json;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Grains.Llm;

/// <summary>
/// Answers recorded elsewhere (e.g. code generated in a chat UI), re-verified here. Either a directory laid out as
/// <c>DIR/&lt;kernel&gt;/&lt;technology&gt;/&lt;sample&gt;.&lt;ext&gt;</c>, repair rounds as <c>&lt;sample&gt;.r&lt;round&gt;.&lt;ext&gt;</c>
/// (a markdown file is a whole answer, a source file bare code), or a JSONL file of recorded chat completions:
/// one object per line with <c>kernel</c>, <c>technology</c>, <c>sample</c>, optional <c>round</c>, and either
/// <c>answer</c> (text) or <c>response</c> (an OpenAI <c>chat.completion</c> object, whose usage is kept).
/// </summary>
public sealed class ReplayModel : IModelProvider
{
    private static readonly string[] s_extensions = [".md", ".c", ".cpp", ".cu", ".txt"];
    private readonly ConcurrentDictionary<string, IReadOnlyDictionary<string, ModelAnswer>> _recordings = new();

    public string Provider => ModelProviders.Replay;

    public async Task<ModelAnswer> CompleteAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        var experiment = request.Experiment;
        var source = request.Model.Directory ?? ".";
        if (File.Exists(source))
        {
            var recordings = _recordings.GetOrAdd(source, Load);
            var key = Key(experiment.Kernel, experiment.Technology, experiment.Sample, request.Round);
            return recordings.TryGetValue(key, out var recorded)
                ? recorded
                : new ModelAnswer($"[replay] no recorded answer for {key} in {source}", TokenUsage.None, "missing");
        }

        var folder = Path.Combine(source, experiment.Kernel, experiment.Technology);
        var stem = request.Round == 0 ? $"{experiment.Sample}" : $"{experiment.Sample}.r{request.Round}";
        var file = s_extensions.Select(ext => Path.Combine(folder, stem + ext)).FirstOrDefault(File.Exists);
        if (file is null)
        {
            return new ModelAnswer($"[replay] no recorded answer {stem}.* in {folder}", TokenUsage.None, "missing");
        }

        var text = await File.ReadAllTextAsync(file, cancellationToken);
        var extension = Path.GetExtension(file);
        var answer = extension is ".md" or ".txt" ? text : $"```{extension.TrimStart('.')}\n{text}\n```";
        return new ModelAnswer(answer, TokenUsage.None, "stop");
    }

    /// <summary>Reads a JSONL recording; a malformed line is an error naming the file and line.</summary>
    public static IReadOnlyDictionary<string, ModelAnswer> Load(string path)
    {
        var answers = new Dictionary<string, ModelAnswer>(StringComparer.Ordinal);
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                var key = Key(
                    root.GetProperty("kernel").GetString()!,
                    root.GetProperty("technology").GetString()!,
                    root.GetProperty("sample").GetInt32(),
                    root.TryGetProperty("round", out var round) ? round.GetInt32() : 0);
                answers[key] = root.TryGetProperty("response", out var response) ? FromCompletion(response) : new ModelAnswer(root.GetProperty("answer").GetString()!, TokenUsage.None, "stop");
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new ModelUnavailableException($"{path}:{number}: not a recorded answer ({e.Message})");
            }
        }

        return answers;
    }

    private static ModelAnswer FromCompletion(JsonElement completion)
    {
        var choice = completion.GetProperty("choices")[0];
        var usage = completion.TryGetProperty("usage", out var u)
            ? new TokenUsage(u.GetProperty("prompt_tokens").GetInt64(), u.GetProperty("completion_tokens").GetInt64())
            : TokenUsage.None;
        return new ModelAnswer(
            choice.GetProperty("message").GetProperty("content").GetString() ?? "",
            usage,
            choice.TryGetProperty("finish_reason", out var finish) ? finish.GetString() ?? "unknown" : "unknown",
            ServedModel: Said(completion, "model"),
            SystemFingerprint: Said(completion, "system_fingerprint"));
    }

    /// <summary>What the recorded endpoint said about itself, when the recording kept it.</summary>
    private static string? Said(JsonElement completion, string field) =>
        completion.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : null;

    private static string Key(string kernel, string technology, int sample, int round) => $"{kernel}/{technology}/{sample}/r{round}";
}
