using System.Text.Json;
using System.Text.RegularExpressions;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Results;

namespace Kernelsmith.Results.Reports;

/// <summary>One porting example: a sequential program, its target, the hardware, what a model answered and how it fared.</summary>
public sealed record DatasetExample(
    string Id,
    string Kernel,
    string Target,
    string Hardware,
    string Toolchain,
    IReadOnlyList<CodeFile> Source,
    string SourceOrigin,
    string Prompt,
    string Answer,
    IReadOnlyList<CodeFile> Code,
    string Verdict,
    bool? Parallel,
    bool Correct,
    double? Speedup,
    int? SpeedupAt,
    int Rounds,
    DatasetProvenance Provenance)
{
    /// <summary>[low, high]: the 95 % interval of <see cref="Speedup"/>; null for records from before paired timing.</summary>
    public IReadOnlyList<double>? SpeedupCi { get; init; }

    /// <summary>The system turn the model was given before <see cref="Prompt"/>; empty when its prompt had none (or the attempts predate recording it).</summary>
    public string System { get; init; } = "";
}

/// <summary>Where an example came from, enough to trace it back to its run (and to leave out simulated answers).</summary>
public sealed record DatasetProvenance(
    string Sweep,
    string Model,
    string Provider,
    bool Simulated,
    IReadOnlyDictionary<string, string> ModelParameters,
    string PromptHash,
    string KernelHash,
    string Input,
    string Agent,
    string TraceId);

/// <summary>Two answers to the same prompt on the same hardware: the chosen one is correct and better than the rejected one.</summary>
public sealed record PreferencePair(string Prompt, string Kernel, string Target, string Hardware, string PromptHash, string Reason, PreferenceAnswer Chosen, PreferenceAnswer Rejected)
{
    /// <summary>The system turn given before <see cref="Prompt"/> (the same for both answers: their prompt hashes are equal).</summary>
    public string System { get; init; } = "";
}

/// <summary>One side of a preference pair.</summary>
public sealed record PreferenceAnswer(string Id, string Model, bool Simulated, string Answer, IReadOnlyList<CodeFile> Code, string Verdict, double? Speedup)
{
    public IReadOnlyList<double>? SpeedupCi { get; init; }
}

/// <summary>
/// <c>kernelsmith export DIR --dataset OUT</c>: <c>dataset.jsonl</c> (one example per experiment, infra errors left out)
/// and <c>preferences.jsonl</c> (pairs for the same prompt and hardware: a correct answer preferred over an incorrect
/// or sequential one, or over a correct one it is surely faster than: the two speedups' 95 % intervals do not overlap
/// (for records without intervals, at least <see cref="SpeedupMargin"/> x)), for fine-tuning and reinforcement
/// learning from feedback.
/// </summary>
public static partial class DatasetExport
{
    public const string Examples = "dataset.jsonl";
    public const string Preferences = "preferences.jsonl";

    /// <summary>A correct answer is preferred over another correct one only when this much faster: smaller gaps are timing noise.</summary>
    public const double SpeedupMargin = 1.10;

    public static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = false };

    /// <summary>Writes both files into <paramref name="output"/>; a kernel's source comes from the catalog when it holds the same version, else from the prompt.</summary>
    /// <remarks>
    /// <paramref name="format"/> <c>jsonl</c> writes both files with the full provenance; <c>openai-chat</c> and <c>trl-dpo</c>
    /// write the same examples or pairs in a trainer's own format instead (<see cref="TrainerFormats"/>).
    /// </remarks>
    public static (int Examples, int Pairs) Write(
        ResultsDirectory results, IReadOnlyList<ExperimentRecord> records, IEnumerable<KernelDefinition>? catalog, string output, string format = TrainerFormats.Jsonl)
    {
        Directory.CreateDirectory(output);
        var kept = records.Where(r => r.CountsAgainstModel()).OrderBy(r => r.Experiment, StringComparer.Ordinal).ToList();
        var kernels = (catalog ?? []).ToDictionary(k => k.Id, StringComparer.Ordinal);
        var examples = kept.Select(r => Example(results, r, kernels)).ToList();
        var pairs = examples.GroupBy(e => (e.Provenance.PromptHash, e.Hardware, e.Target, e.Kernel)).SelectMany(Pairs).ToList();
        var folders = kept.Select(r => Path.Combine(results.Path, ResultsDirectory.AttemptsFolder(r))).Zip(examples).ToList();
        switch (format)
        {
            case TrainerFormats.OpenAiChat:
                return (TrainerFormats.WriteOpenAiChat(folders, output), 0);
            case TrainerFormats.TrlKto:
                return (TrainerFormats.WriteTrlKto(folders, output), 0);
            case TrainerFormats.Trajectories:
                return (TrainerFormats.WriteTrajectories(folders, output), 0);
            case TrainerFormats.TrlDpo:
                return (0, TrainerFormats.WriteTrlDpo(pairs, output));
            default:
                File.WriteAllLines(Path.Combine(output, Examples), examples.Select(e => JsonSerializer.Serialize(e, Json)));
                File.WriteAllLines(Path.Combine(output, Preferences), pairs.Select(p => JsonSerializer.Serialize(p, Json)));
                return (examples.Count, pairs.Count);
        }
    }

    private static IEnumerable<PreferencePair> Pairs(IEnumerable<DatasetExample> group)
    {
        var answers = group.ToList();
        foreach (var chosen in answers.Where(a => a.Correct && a.Speedup > 0))
        {
            foreach (var rejected in answers.Where(a => !ReferenceEquals(a, chosen)))
            {
                var reason = !rejected.Correct ? (rejected.Verdict == Verdict.NotParallel.ToWireName() ? "rejected_not_parallel" : "rejected_incorrect")
                    : SurelyFaster(chosen, rejected) ? "rejected_slower"
                    : null;
                if (reason is not null)
                {
                    yield return new PreferencePair(chosen.Prompt, chosen.Kernel, chosen.Target, chosen.Hardware, chosen.Provenance.PromptHash, reason, Side(chosen), Side(rejected))
                    {
                        System = chosen.System,
                    };
                }
            }
        }
    }

    /// <summary>Faster beyond the timing's uncertainty: the chosen speedup's interval lies wholly above the rejected one's.</summary>
    private static bool SurelyFaster(DatasetExample chosen, DatasetExample rejected) =>
        chosen.SpeedupCi is [var low, _] && rejected.SpeedupCi is [_, var high]
            ? low > high
            : chosen.Speedup >= SpeedupMargin * (rejected.Speedup ?? 0);

    private static PreferenceAnswer Side(DatasetExample e) =>
        new(e.Id, e.Provenance.Model, e.Provenance.Simulated, e.Answer, e.Code, e.Verdict, e.Speedup) { SpeedupCi = e.SpeedupCi };

    private static DatasetExample Example(ResultsDirectory results, ExperimentRecord r, IReadOnlyDictionary<string, KernelDefinition> catalog)
    {
        var folder = Path.Combine(results.Path, ResultsDirectory.AttemptsFolder(r));
        var rounds = Directory.Exists(folder)
            ? Directory.GetDirectories(folder, "round-*").OrderBy(d => int.TryParse(Path.GetFileName(d)["round-".Length..], out var n) ? n : -1).ToList()
            : [];
        var prompt = rounds.Count > 0 ? ReadOrEmpty(Path.Combine(rounds[0], "prompt.md")) : "";
        var last = rounds.Count > 0 ? rounds[^1] : null;
        var code = last is not null && Directory.Exists(Path.Combine(last, "files"))
            ? Directory.GetFiles(Path.Combine(last, "files")).Order(StringComparer.Ordinal).Select(f => new CodeFile(Path.GetFileName(f), File.ReadAllText(f))).ToList()
            : [];
        var (source, origin) = catalog.TryGetValue(r.Kernel, out var kernel) && kernel.ContentHash == r.Provenance.KernelHash
            ? (kernel.Sources, "catalog")
            : SourceFromPrompt(prompt);
        var p = r.Provenance;
        return new DatasetExample(
            r.Experiment, r.Kernel, r.Technology, p.Hardware, p.Toolchain, source, origin, prompt,
            last is null ? "" : ReadOrEmpty(Path.Combine(last, "answer.md")), code, r.Verdict.ToWireName(), r.Parallel, r.Passed(),
            r.Passed() ? r.Speedup : null, r.Passed() ? r.BestThreads : null, r.Rounds,
            new DatasetProvenance(r.Sweep, r.ModelLabel(), p.Provider, p.Simulated, p.ModelParameters, p.PromptHash, p.KernelHash, p.Input, p.Agent, r.TraceId))
        {
            SpeedupCi = r.Passed() ? r.SpeedupCi : null,
            System = rounds.Count > 0 ? ReadOrEmpty(Path.Combine(rounds[0], ResultsDirectory.SystemFile)) : "",
        };
    }

    /// <summary>The prompt quotes each source file as File `name`: and a fenced block (see PromptLibrary).</summary>
    private static (IReadOnlyList<CodeFile> Source, string Origin) SourceFromPrompt(string prompt)
    {
        var files = QuotedFile().Matches(prompt).Select(m => new CodeFile(m.Groups["name"].Value, m.Groups["code"].Value + "\n")).ToList();
        return files.Count > 0 ? (files, "prompt") : ([], "none");
    }

    private static string ReadOrEmpty(string path) => File.Exists(path) ? File.ReadAllText(path) : "";

    [GeneratedRegex("File `(?<name>[^`\\n]+)`:\\n```[A-Za-z+]*\\n(?<code>.*?)\\n```", RegexOptions.Singleline)]
    private static partial Regex QuotedFile();
}
