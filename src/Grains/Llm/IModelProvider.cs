using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;

namespace Kernelsmith.Grains.Llm;

/// <summary>What a model is asked: the conversation so far, and enough context for simulated models.</summary>
public sealed record ModelRequest(ExperimentSpec Experiment, KernelDefinition Kernel, IReadOnlyList<ChatTurn> Conversation, int Round);

/// <summary>What a model answered, with its token usage.</summary>
public sealed record ModelAnswer(string Text, TokenUsage Tokens, string FinishReason);

/// <summary>A model endpoint or simulation. Failures of the endpoint itself throw <see cref="ModelUnavailableException"/>.</summary>
public interface IModelProvider
{
    string Provider { get; }
    Task<ModelAnswer> CompleteAsync(ModelRequest request, CancellationToken cancellationToken);
}

/// <summary>The model could not be reached or refused service: an infrastructure failure, not the model's answer.</summary>
public sealed class ModelUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Routes a request to the provider its model spec names.</summary>
public sealed class ModelGateway(IEnumerable<IModelProvider> providers)
{
    private readonly Dictionary<string, IModelProvider> _providers = providers.ToDictionary(p => p.Provider);

    public Task<ModelAnswer> CompleteAsync(ModelRequest request, CancellationToken cancellationToken) =>
        _providers.TryGetValue(request.Experiment.Model.Provider, out var provider)
            ? provider.CompleteAsync(request, cancellationToken)
            : throw new ModelUnavailableException($"no provider '{request.Experiment.Model.Provider}' is configured on this silo");
}
