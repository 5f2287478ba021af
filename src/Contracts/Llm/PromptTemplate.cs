using Kernelsmith.Contracts.Experiments;

namespace Kernelsmith.Contracts.Llm;

/// <summary>
/// A prompt strategy: the opening turns, with <c>{{placeholders}}</c> filled per experiment. A template that asks for
/// several suggestions in one answer gives one sample per suggestion.
/// </summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.PromptTemplate")]
public sealed record PromptTemplate(string Name, IReadOnlyList<ChatTurn> Turns, int Suggestions);
