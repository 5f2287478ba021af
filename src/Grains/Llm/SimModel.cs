using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Scheduling;

namespace Kernelsmith.Grains.Llm;

/// <summary>
/// A simulated model that needs no network. <c>expert</c> answers with the catalog's expert solution,
/// <c>identity</c> with the sequential code. Its results are labelled simulated wherever they appear.
/// </summary>
public sealed class SimModel : IModelProvider
{
    public const string Expert = "expert";
    public const string Identity = "identity";
    public const string Mutant = "mutant";
    public static readonly IReadOnlyList<string> Behaviours = [Expert, Identity, Mutant];

    public string Provider => ModelProviders.Sim;

    public async Task<ModelAnswer> CompleteAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        // A fixed latency stands in for a real endpoint's, for benchmarks of the orchestration itself.
        if (request.Model.LatencyMs is > 0 and var latency)
        {
            await Task.Delay(latency, cancellationToken);
        }

        var kernel = request.Kernel;
        // Free to choose, the simulated model takes the first technology the catalog has a solution for.
        var technology = request.Experiment.Technology == Technologies.Auto
            ? kernel.Technologies.FirstOrDefault(kernel.Solutions.ContainsKey) ?? kernel.Technologies[0]
            : request.Experiment.Technology;
        var files = request.Model.Behaviour switch
        {
            Expert => kernel.Solutions.GetValueOrDefault(technology),
            Identity => kernel.Sources,
            Mutant => MutantAnswer(request),
            var other => throw new ModelUnavailableException($"unknown sim behaviour '{other}'"),
        };

        var program = files is null ? "" : string.Join("\n", files.Select(f => $"`{f.Path}`:\n```{Fence(f.Path)}\n{f.Content.TrimEnd()}\n```\n"));
        var suggestions = request.Experiment.Template?.Suggestions ?? 1;
        var text = files is null
            ? $"[simulated] The catalog has no expert {technology} solution for {kernel.Id}, so I cannot give one."
            : $"Technology: {technology}\n[simulated: sim {request.Model.Behaviour}] Here is the {technology} version of {kernel.Id}.\n\n" +
              string.Join("\n", Enumerable.Range(1, suggestions).Select(i => (suggestions > 1 ? $"Suggestion {i}:\n" : "") + program));
        return new ModelAnswer(text, TokenUsage.None, "stop");
    }

    /// <summary>
    /// The expert solution with one fault chosen by seed among those that apply, kept until a feedback turn
    /// names it, then fixed: a model that repairs only what it is told about.
    /// </summary>
    private static IReadOnlyList<Contracts.Kernels.CodeFile>? MutantAnswer(ModelRequest request)
    {
        var technology = request.Experiment.Technology == Technologies.Auto
            ? request.Kernel.Technologies.FirstOrDefault(request.Kernel.Solutions.ContainsKey) ?? ""
            : request.Experiment.Technology;
        var solution = request.Kernel.Solutions.GetValueOrDefault(technology);
        if (solution is null)
        {
            return null;
        }

        var main = solution[0];
        var applicable = Mutations.Applicable(main.Content, technology, BuildRecipe.For(request.Kernel, technology).Flags)
            .Where(m => request.Model.Fault is null || m.Mutation.Name == request.Model.Fault)
            .ToList();
        if (applicable.Count == 0)
        {
            return solution;
        }

        var seed = StableHash($"{request.Model.Seed ?? 0}/{request.Kernel.Id}/{technology}/{request.Experiment.Sample}");
        var (mutation, mutated) = applicable[(int)(seed % (uint)applicable.Count)];
        var feedback = request.Conversation.SkipWhile(t => t.Role != "assistant").Where(t => t.Role == "user").Select(t => t.Content);
        return feedback.Any(mutation.IsNamedBy) ? solution : [main with { Content = mutated }, .. solution.Skip(1)];
    }

    /// <summary>FNV-1a: the same on every run and machine, unlike string.GetHashCode.</summary>
    private static uint StableHash(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return hash;
    }

    private static string Fence(string path) => Path.GetExtension(path) switch
    {
        ".cu" => "cuda",
        ".cpp" or ".cc" or ".cxx" or ".hpp" => "cpp",
        _ => "c",
    };
}
