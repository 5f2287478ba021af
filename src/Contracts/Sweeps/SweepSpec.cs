namespace Kernelsmith.Contracts.Sweeps;

/// <summary>
/// A validated sweep: the cross-product of its lists is the set of experiments. <see cref="MaxActive"/> bounds how many
/// run at once (null: enough to keep the models and agents busy).
/// </summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.SweepSpec")]
public sealed record SweepSpec(
    string Name,
    IReadOnlyList<string> Kernels,
    IReadOnlyList<string> Technologies,
    IReadOnlyList<ModelSpec> Models,
    IReadOnlyList<string> Prompts,
    int Samples,
    RepairSettings Repair,
    RunSettings Run,
    bool Cache = true,
    BudgetSettings? Budget = null,
    IReadOnlyList<Llm.PromptTemplate>? Templates = null,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? KernelTechnologies = null,
    VerifySettings? Verify = null,
    int? MaxActive = null,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Pools = null)
{
    /// <summary>Whether the sweep runs a kernel with a technology: every pair, unless the kernel is pinned to some.</summary>
    public bool Runs(string kernel, string technology) =>
        KernelTechnologies is null || !KernelTechnologies.TryGetValue(kernel, out var pinned) || pinned.Contains(technology);
}

/// <summary>
/// The checks after the main input matched, all untimed: the kernel's amplified inputs (edge sizes, other seeds, extra
/// rank counts) and sanitizer runs (<c>thread</c>, <c>memory</c>). Both are on unless a sweep turns them off: a
/// <c>correct</c> verdict is meant to survive them.
/// </summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.VerifySettings")]
public sealed record VerifySettings(IReadOnlyList<string> Sanitizers, bool Amplify = true)
{
    public static readonly IReadOnlyList<string> Known = ["thread", "memory"];

    /// <summary>What a sweep without a <c>verify</c> section gets: every check.</summary>
    public static readonly VerifySettings Default = new(Known);
}

/// <summary>Limits on what a sweep may spend; reaching one stops the sweep cleanly.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.BudgetSettings")]
public sealed record BudgetSettings(double? MaxCostUsd, long? MaxTokens)
{
    public bool Allows(double costUsd, long tokens) =>
        (MaxCostUsd is not { } cost || costUsd < cost) && (MaxTokens is not { } max || tokens < max);
}

/// <summary>
/// One model entry of a sweep spec. <see cref="Credential"/> names one of the operator's credentials; <c>ApiKeyEnv</c> and
/// <c>ApiKeyFile</c> are never read any more (kept in place so sweeps stored by earlier versions still load).
/// </summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.ModelSpec")]
public sealed record ModelSpec(
    string Id,
    string Provider,
    string? Behaviour = null,
    string? Endpoint = null,
    string? Model = null,
    string? ApiKeyEnv = null,
    double? Temperature = null,
    double? TopP = null,
    int? MaxTokens = null,
    int? Seed = null,
    string? Directory = null,
    string? ApiKeyFile = null,
    bool Stream = false,
    ModelLimits? Limits = null,
    ModelPrices? Prices = null,
    string? Fault = null,
    int? LatencyMs = null,
    string? Credential = null,
    RecordedModel? RecordedFrom = null)
{
    /// <summary>The limits in force: the spec's, or the defaults.</summary>
    public ModelLimits EffectiveLimits => Limits ?? ModelLimits.Default;

    /// <summary>Simulated and replayed models answer without calling an endpoint: no quota, no response cache.</summary>
    public bool IsOffline => Provider is ModelProviders.Sim or ModelProviders.Replay;

    /// <summary>
    /// Answers no language model gave: <c>sim</c>, and <c>replay</c> that does not say which model it replays. Every output
    /// labels them so. A replay of a real model's recorded answers (<see cref="RecordedFrom"/>) is not simulated.
    /// </summary>
    public bool IsSimulated => Provider == ModelProviders.Sim || Provider == ModelProviders.Replay && RecordedFrom is null;

    /// <summary>How the model appears in tables: simulated models carry the label in their name, replayed ones the recorded model's.</summary>
    public string DisplayName => Provider switch
    {
        ModelProviders.Sim => $"{Id} (simulated: sim {Behaviour})",
        ModelProviders.Replay when RecordedFrom is { } recorded => $"{Id} (replayed: {recorded.Model})",
        ModelProviders.Replay => $"{Id} (simulated: replay)",
        _ => Id,
    };
}

/// <summary>
/// The real model a <c>replay</c> model's answers were recorded from (<c>recorded_from</c> in a sweep spec): its results
/// are that model's, re-verified here. <see cref="Date"/> and <see cref="Source"/> (a paper, a URL, a chat export) are free text.
/// </summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.RecordedModel")]
public sealed record RecordedModel(string Model, string? Provider = null, string? Date = null, string? Source = null);

/// <summary>How hard a model endpoint may be used, cluster-wide, and how long a call may take.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.ModelLimits")]
public sealed record ModelLimits(int Concurrency, int? RequestsPerMinute, int? TokensPerMinute, double TimeoutSeconds, int MaxRetries)
{
    public static ModelLimits Default { get; } = new(4, null, null, 300, 3);
}

/// <summary>Prices in US dollars per million tokens, for cost accounting and budgets.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.ModelPrices")]
public sealed record ModelPrices(double InputPerMillionTokens, double OutputPerMillionTokens)
{
    public double Cost(long inputTokens, long outputTokens) =>
        (inputTokens * InputPerMillionTokens + outputTokens * OutputPerMillionTokens) / 1_000_000;
}

public static class ModelProviders
{
    public const string OpenAi = "openai";
    public const string Sim = "sim";
    public const string Replay = "replay";
    public static readonly IReadOnlyList<string> All = [OpenAi, Sim, Replay];
}

public static class Technologies
{
    public const string OpenMp = "openmp";
    public const string Mpi = "mpi";
    public const string Cuda = "cuda";

    /// <summary>In a sweep spec: the model chooses among the kernel's technologies.</summary>
    public const string Auto = "auto";
    public static readonly IReadOnlyList<string> All = [OpenMp, Mpi, Cuda];
}

/// <summary>How failures are fed back: how many rounds, and optionally another model that does the repairs.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.RepairSettings")]
public sealed record RepairSettings(int Rounds, string? Model = null);

/// <summary>Where and how generated programs run.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.RunSettings")]
public sealed record RunSettings(
    string Input,
    IReadOnlyList<int> Threads,
    IReadOnlyList<int> Ranks,
    int Repetitions,
    double TimeoutSeconds,
    double BuildTimeoutSeconds)
{
    /// <summary>Target half-width of every speedup's 95 % interval, relative (<c>run.precision</c>, 0.03 = 3 %).</summary>
    [Id(6)]
    public double Precision { get; init; } = 0.03;

    /// <summary>The most pairs one speedup may take (<c>run.max_pairs</c>); a speedup stopped here short of its precision is noisy.</summary>
    [Id(7)]
    public int MaxPairs { get; init; } = 30;

    /// <summary>No new pair starts after this many seconds of measuring one speedup (<c>run.max_seconds</c>).</summary>
    [Id(8)]
    public double MaxSeconds { get; init; } = 120;

    /// <summary>Untimed runs of each program before the pairs (<c>run.warmups</c>): caches, page faults, frequency.</summary>
    [Id(9)]
    public int Warmups { get; init; } = 1;

    /// <summary>Whether the catalog's expert solution is timed beside the candidates, for <c>expert_speedup</c> (<c>run.expert</c>).</summary>
    [Id(10)]
    public bool Expert { get; init; } = true;
}
