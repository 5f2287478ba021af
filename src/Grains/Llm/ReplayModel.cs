using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Grains.Llm;

/// <summary>
/// Answers read from files, e.g. code generated in a chat UI: <c>DIR/&lt;kernel&gt;/&lt;technology&gt;/&lt;sample&gt;.&lt;ext&gt;</c>,
/// repair rounds as <c>&lt;sample&gt;.r&lt;round&gt;.&lt;ext&gt;</c>. A markdown file is a whole answer; a source file is bare code.
/// </summary>
public sealed class ReplayModel : IModelProvider
{
    private static readonly string[] s_extensions = [".md", ".c", ".cpp", ".cu", ".txt"];

    public string Provider => ModelProviders.Replay;

    public async Task<ModelAnswer> CompleteAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        var experiment = request.Experiment;
        var folder = Path.Combine(request.Model.Directory ?? ".", experiment.Kernel, experiment.Technology);
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
}
