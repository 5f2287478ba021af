namespace Kernelsmith.Contracts.Sweeps;

/// <summary>A validated sweep: the cross-product of its lists is the set of experiments.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.SweepSpec")]
public sealed record SweepSpec(
    string Name,
    IReadOnlyList<string> Kernels,
    IReadOnlyList<string> Technologies,
    IReadOnlyList<ModelSpec> Models,
    IReadOnlyList<string> Prompts,
    int Samples,
    RepairSettings Repair,
    RunSettings Run);

/// <summary>One model entry of a sweep spec.</summary>
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
    string? Directory = null)
{
    /// <summary>Simulated and replayed models need no network; every output labels them so.</summary>
    public bool IsSimulated => Provider is ModelProviders.Sim or ModelProviders.Replay;

    /// <summary>How the model appears in tables: simulated models carry the label in their name.</summary>
    public string DisplayName => Provider switch
    {
        ModelProviders.Sim => $"{Id} (simulated: sim {Behaviour})",
        ModelProviders.Replay => $"{Id} (simulated: replay)",
        _ => Id,
    };
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
    public static readonly IReadOnlyList<string> All = [OpenMp, Mpi, Cuda];
}

/// <summary>How failures are fed back to the model.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.RepairSettings")]
public sealed record RepairSettings(int Rounds);

/// <summary>Where and how generated programs run.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.RunSettings")]
public sealed record RunSettings(
    string Input,
    IReadOnlyList<int> Threads,
    IReadOnlyList<int> Ranks,
    int Repetitions,
    double TimeoutSeconds,
    double BuildTimeoutSeconds);
