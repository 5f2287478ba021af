using Kernelsmith.Contracts.Kernels;

namespace Kernelsmith.Grains.Scheduling;

/// <summary>Compile <paramref name="Files"/> with <paramref name="Compiler"/> into an artifact the agent keeps in its cache.</summary>
public sealed record BuildRequest(
    string JobId, IReadOnlyList<CodeFile> Files, string Compiler, IReadOnlyList<string> Flags, IReadOnlyList<string> Libraries, int TimeoutMs);

/// <summary>
/// Run a cached artifact once at <paramref name="Threads"/> threads and <paramref name="Ranks"/> ranks. An exclusive run
/// (a timing run) owns its cores; <paramref name="Launcher"/> is one of <see cref="Contracts.Agents.Launchers"/>.
/// </summary>
public sealed record RunRequest(
    string JobId,
    string ArtifactId,
    string Launcher,
    int Threads,
    int Ranks,
    int TimeoutMs,
    bool Exclusive,
    IReadOnlyList<string> Args,
    string Stdin,
    IReadOnlyList<CodeFile> InputFiles,
    IReadOnlyList<string> OutputFiles)
{
    /// <summary>Extra variables for the program (e.g. TSAN_OPTIONS for a sanitizer run); names are upper-case identifiers.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>A tool the program runs under (e.g. compute-sanitizer), placed right before the program, after mpirun.</summary>
    public IReadOnlyList<string> Wrapper { get; init; } = [];
}

/// <summary>
/// Time <paramref name="Arms"/> against the first (the baseline) in alternation on the same held cores until every
/// speedup's 95 % interval is within <paramref name="Precision"/> or a cap is reached (docs/measurement.md).
/// </summary>
public sealed record MeasureRequest(
    string JobId,
    IReadOnlyList<RunRequest> Arms,
    double Precision,
    int Warmups,
    int MinPairs,
    int MaxPairs,
    double MaxSeconds,
    string TimingPattern,
    ulong Seed);
