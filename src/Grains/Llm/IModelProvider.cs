using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Llm;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Telemetry;
using Orleans.Runtime;

namespace Kernelsmith.Grains.Llm;

/// <summary>
/// What a model is asked: the conversation so far, and enough context for simulated models. <see cref="Model"/>
/// is the model that answers, which in a cross-model repair round is not the experiment's own.
/// </summary>
public sealed record ModelRequest(ExperimentSpec Experiment, ModelSpec Model, KernelDefinition Kernel, IReadOnlyList<ChatTurn> Conversation, int Round);

/// <summary>
/// What a model answered, with its token usage and, when prices are known, its cost; <see cref="ServedModel"/> and
/// <see cref="SystemFingerprint"/> are what the endpoint said about itself (the response's <c>model</c> and
/// <c>system_fingerprint</c>), null when it said nothing.
/// </summary>
public sealed record ModelAnswer(
    string Text, TokenUsage Tokens, string FinishReason, double? CostUsd = null, bool Cached = false, string? ServedModel = null, string? SystemFingerprint = null);

/// <summary>A model endpoint or simulation. Failures of the endpoint itself throw <see cref="ModelUnavailableException"/>.</summary>
public interface IModelProvider
{
    string Provider { get; }
    Task<ModelAnswer> CompleteAsync(ModelRequest request, CancellationToken cancellationToken);
}

/// <summary>The model could not be reached or refused service: an infrastructure failure, not the model's answer.</summary>
public sealed class ModelUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The sweep's budget is used up: no further model call is made.</summary>
public sealed class BudgetExhaustedException(string message) : Exception(message);
