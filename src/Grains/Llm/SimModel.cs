using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Grains.Llm;

/// <summary>
/// A simulated model that needs no network. <c>expert</c> answers with the catalog's expert solution,
/// <c>identity</c> with the sequential code. Its results are labelled simulated wherever they appear.
/// </summary>
public sealed class SimModel : IModelProvider
{
    public const string Expert = "expert";
    public const string Identity = "identity";
    public static readonly IReadOnlyList<string> Behaviours = [Expert, Identity];

    public string Provider => ModelProviders.Sim;

    public Task<ModelAnswer> CompleteAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        var kernel = request.Kernel;
        var technology = request.Experiment.Technology;
        var files = request.Model.Behaviour switch
        {
            Expert => kernel.Solutions.GetValueOrDefault(technology),
            Identity => kernel.Sources,
            var other => throw new ModelUnavailableException($"unknown sim behaviour '{other}'"),
        };

        var text = files is null
            ? $"[simulated] The catalog has no expert {technology} solution for {kernel.Id}, so I cannot give one."
            : $"[simulated: sim {request.Model.Behaviour}] Here is the {technology} version of {kernel.Id}.\n\n" +
              string.Join("\n", files.Select(f => $"`{f.Path}`:\n```{Fence(f.Path)}\n{f.Content.TrimEnd()}\n```\n"));
        return Task.FromResult(new ModelAnswer(text, TokenUsage.None, "stop"));
    }

    private static string Fence(string path) => Path.GetExtension(path) switch
    {
        ".cu" => "cuda",
        ".cpp" or ".cc" or ".cxx" or ".hpp" => "cpp",
        _ => "c",
    };
}
