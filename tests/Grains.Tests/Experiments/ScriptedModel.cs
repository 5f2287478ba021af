using System.Collections.Concurrent;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Grains.Llm;

namespace Kernelsmith.Grains.Tests.Experiments;

/// <summary>The model port of the test silos: answers each sweep's experiments from a script, one answer per round.</summary>
internal sealed class ScriptedModel : IModelProvider
{
    public const string Name = "script";

    /// <summary>A scripted "answer" that makes the endpoint refuse the call instead.</summary>
    public const string Unavailable = "!unavailable";

    /// <summary>The answers of a sweep's experiments (keyed by sweep id): round N gets answer N, or the last one.</summary>
    public static ConcurrentDictionary<string, IReadOnlyList<string>> Answers { get; } = new();

    /// <summary>Every request, in arrival order.</summary>
    public static ConcurrentQueue<ModelRequest> Requests { get; } = new();

    public string Provider => Name;

    public Task<ModelAnswer> CompleteAsync(ModelRequest request, CancellationToken cancellationToken)
    {
        Requests.Enqueue(request);
        var answers = Answers[request.Experiment.SweepId];
        var answer = answers[Math.Min(request.Round, answers.Count - 1)];
        return answer == Unavailable
            ? throw new ModelUnavailableException("the scripted endpoint refused the call")
            : Task.FromResult(new ModelAnswer(answer, new TokenUsage(100, 50), "stop"));
    }

    /// <summary>An answer whose program the fake agent runs with the given markers.</summary>
    public static string Program(string markers = "") =>
        $"Here is the parallel program.\n\n```c\n#include <omp.h>\n{markers}\nint main(void) {{\n#pragma omp parallel for\n  for (int i = 0; i < 4; i++) {{ }}\n  return 0;\n}}\n```\n";
}
