using System.Text.Json.Serialization;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Contracts.Experiments;

/// <summary>Everything an experiment needs to run on its own: one kernel x model x technology x prompt x sample.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.ExperimentSpec")]
public sealed record ExperimentSpec(
    string ExperimentId,
    string SweepId,
    string Kernel,
    ModelSpec Model,
    string Technology,
    string Prompt,
    int Sample,
    RepairSettings Repair,
    RunSettings Run,
    ModelSpec? RepairModel = null,
    bool UseCache = true,
    Llm.PromptTemplate? Template = null,
    VerifySettings? Verify = null,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Pools = null,
    string? SpecHash = null,
    string? KernelKey = null);

/// <summary>
/// The timing of one configuration (thread or rank count): the candidate's median wall time over its timed runs
/// (<see cref="Repetitions"/> = the pairs measured, <see cref="AllSeconds"/> each of them) and its speedup over the
/// sequential reference timed in alternation with it on the same cores (docs/measurement.md).
/// </summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.RunMeasurement")]
public sealed record RunMeasurement(
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("ranks")] int Ranks,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("repetitions")] int Repetitions,
    [property: JsonPropertyName("all_seconds")] IReadOnlyList<double> AllSeconds,
    [property: JsonPropertyName("speedup")] double Speedup)
{
    /// <summary>The paired measurement behind <see cref="Speedup"/>; null in records written before speedups were paired.</summary>
    [Id(10), JsonPropertyName("timing")]
    public PairedTiming? Timing { get; init; }

    /// <summary>[low, high]: the 95 % interval of <see cref="Speedup"/>.</summary>
    [JsonPropertyName("speedup_ci")]
    public IReadOnlyList<double>? SpeedupCi => Timing?.SpeedupCi;

    [JsonPropertyName("pairs")]
    public int? Pairs => Timing?.Pairs;

    [JsonPropertyName("cv")]
    public double? Cv => Timing?.Cv;

    /// <summary>The target precision was not reached: the interval is wider than asked, and the speedup is less sure.</summary>
    [JsonPropertyName("noisy")]
    public bool Noisy => Timing?.Noisy ?? false;

    /// <summary>Faster than 1.1 x the cores it used: cache effects or a different algorithm, never plain parallelism.</summary>
    [Id(11), JsonPropertyName("superlinear")]
    public bool Superlinear { get; init; }

    /// <summary>The catalog expert solution's speedup at the same count, measured the same way; null when there is none.</summary>
    [Id(12), JsonPropertyName("expert_speedup")]
    public double? ExpertSpeedup { get; init; }
}

/// <summary>
/// A speedup from a paired measurement: the median over pairs of reference time / candidate time, its 95 % interval,
/// and what the runs looked like. Times are the candidate's medians unless named otherwise.
/// </summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.PairedTiming")]
public sealed record PairedTiming(
    [property: JsonPropertyName("speedup")] double Speedup,
    [property: JsonPropertyName("speedup_ci")] IReadOnlyList<double> SpeedupCi,
    [property: JsonPropertyName("pairs")] int Pairs,
    [property: JsonPropertyName("cv")] double Cv,
    [property: JsonPropertyName("noisy")] bool Noisy,
    [property: JsonPropertyName("stopped")] string Stopped,
    [property: JsonPropertyName("seconds")] double Seconds,
    [property: JsonPropertyName("cpu_seconds")] double CpuSeconds,
    [property: JsonPropertyName("sequential_seconds")] double SequentialSeconds,
    [property: JsonPropertyName("wall_speedup")] double WallSpeedup,
    [property: JsonPropertyName("kernel_seconds")] double? KernelSeconds,
    [property: JsonPropertyName("sequential_kernel_seconds")] double? SequentialKernelSeconds,
    [property: JsonPropertyName("all_seconds")] IReadOnlyList<double> AllSeconds,
    [property: JsonPropertyName("all_sequential_seconds")] IReadOnlyList<double> AllSequentialSeconds,
    [property: JsonPropertyName("all_cpu_seconds")] IReadOnlyList<double> AllCpuSeconds);

/// <summary>
/// How one configuration (thread or rank count) of the final round ended on the run input: <c>correct</c> (its output
/// matched; its timing is in <c>runs</c>), <c>wrong_output</c>, <c>runtime_error</c> or <c>timeout</c>. Only correct
/// configurations carry a speedup.
/// </summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.ConfigurationOutcome")]
public sealed record ConfigurationOutcome(
    [property: JsonPropertyName("threads")] int Threads,
    [property: JsonPropertyName("ranks")] int Ranks,
    [property: JsonPropertyName("verdict")] Verdict Verdict,
    [property: JsonPropertyName("reason")] string Reason);

/// <summary>One classified error, with the raw message it came from.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.ErrorFinding")]
public sealed record ErrorFinding(
    [property: JsonPropertyName("stage")] string Stage,
    [property: JsonPropertyName("category")] string Category,
    [property: JsonPropertyName("message")] string Message);

/// <summary>Tokens spent on the model calls of an experiment.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.TokenUsage")]
public sealed record TokenUsage(
    [property: JsonPropertyName("input")] long Input,
    [property: JsonPropertyName("output")] long Output)
{
    public static TokenUsage None { get; } = new(0, 0);
    public TokenUsage Add(TokenUsage other) => new(Input + other.Input, Output + other.Output);
}

/// <summary>Where a result came from: enough to reproduce it or to distrust it.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.Provenance")]
public sealed record Provenance(
    [property: JsonPropertyName("simulated")] bool Simulated,
    [property: JsonPropertyName("provider")] string Provider,
    [property: JsonPropertyName("model_parameters")] IReadOnlyDictionary<string, string> ModelParameters,
    [property: JsonPropertyName("prompt_hash")] string PromptHash,
    [property: JsonPropertyName("kernel_hash")] string KernelHash,
    [property: JsonPropertyName("input")] string Input,
    [property: JsonPropertyName("agent")] string Agent,
    [property: JsonPropertyName("toolchain")] string Toolchain,
    [property: JsonPropertyName("hardware")] string Hardware)
{
    /// <summary>The timing agent's last calibration of its node (bias, interval, pairs per count); null when it was never calibrated.</summary>
    [Id(100), JsonPropertyName("calibration"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Calibration { get; init; }

    /// <summary>
    /// What the run input changed in every build, the reference's and the answer's alike (kernel.yaml's <c>defines</c> as
    /// <c>-D</c> flags, then each <c>substitute</c> as <c>FILE: 'TEXT' -> 'REPLACEMENT'</c>, joined by <c>; </c>); null when nothing.
    /// </summary>
    [Id(101), JsonPropertyName("input_build"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? InputBuild { get; init; }

    /// <summary>The model the endpoint says answered (the chat response's <c>model</c>), for the call that gave the final answer; null for simulated and replayed answers that do not say.</summary>
    [Id(110), JsonPropertyName("served_model")]
    public string? ServedModel { get; init; }

    /// <summary>The endpoint's <c>system_fingerprint</c> for that call: its backend configuration; null when it sent none.</summary>
    [Id(111), JsonPropertyName("system_fingerprint")]
    public string? SystemFingerprint { get; init; }

    /// <summary>The Kernelsmith that ran the experiment, with its git commit (<see cref="global::Kernelsmith.KernelsmithVersion"/>); null in older records.</summary>
    [Id(112), JsonPropertyName("kernelsmith_version")]
    public string? KernelsmithVersion { get; init; }

    /// <summary>Hash of the sweep spec as parsed: equal hashes, same spec (comments and layout aside); null in older records.</summary>
    [Id(113), JsonPropertyName("spec_hash")]
    public string? SpecHash { get; init; }
}

/// <summary>
/// One build or run job as the agent saw it: when it arrived, when it got its cores (it may have waited for a timing
/// run that owned the node) and when it finished; a build answered from the agent's artifact cache ran nothing.
/// The record's list of them is the experiment's job timeline.
/// </summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.JobSpan")]
public sealed record JobSpan(
    [property: JsonPropertyName("job")] string Job,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("agent")] string Agent,
    [property: JsonPropertyName("exclusive")] bool Exclusive,
    [property: JsonPropertyName("cores")] IReadOnlyList<int> Cores,
    [property: JsonPropertyName("queued_unix_ms")] long QueuedUnixMs,
    [property: JsonPropertyName("started_unix_ms")] long StartedUnixMs,
    [property: JsonPropertyName("finished_unix_ms")] long FinishedUnixMs,
    [property: JsonPropertyName("cached")] bool Cached = false);

/// <summary>One round of generate, build, run and verify, kept so a reader can see what happened.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.Attempt")]
public sealed record Attempt(
    int Round,
    string Prompt,
    string Answer,
    IReadOnlyList<CodeFile> Files,
    string BuildLog,
    string RunLog,
    Verdict Verdict,
    string Feedback)
{
    /// <summary>Where each built file came from (the answer or the kernel's sources), and the answer's blocks not taken and why.</summary>
    [Id(8)]
    public string ExtractLog { get; init; } = "";

    /// <summary>The system turn the model was given with this round's prompt (the first round's; empty in later rounds and when the template has none).</summary>
    [Id(9)]
    public string System { get; init; } = "";
}

/// <summary>The final record of one experiment: one line of results.jsonl.</summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.ExperimentRecord")]
public sealed record ExperimentRecord(
    [property: JsonPropertyName("experiment")] string Experiment,
    [property: JsonPropertyName("sweep")] string Sweep,
    [property: JsonPropertyName("kernel")] string Kernel,
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("technology")] string Technology,
    [property: JsonPropertyName("prompt")] string Prompt,
    [property: JsonPropertyName("sample")] int Sample,
    [property: JsonPropertyName("verdict")] Verdict Verdict,
    [property: JsonPropertyName("reason")] string Reason,
    [property: JsonPropertyName("rounds")] int Rounds,
    [property: JsonPropertyName("sequential_seconds")] double? SequentialSeconds,
    [property: JsonPropertyName("runs")] IReadOnlyList<RunMeasurement> Runs,
    [property: JsonPropertyName("speedup")] double? Speedup,
    [property: JsonPropertyName("best_threads")] int? BestThreads,
    [property: JsonPropertyName("taxonomy")] IReadOnlyList<ErrorFinding> Taxonomy,
    [property: JsonPropertyName("tokens")] TokenUsage Tokens,
    [property: JsonPropertyName("trace_id")] string TraceId,
    [property: JsonPropertyName("provenance")] Provenance Provenance,
    [property: JsonIgnore] IReadOnlyList<Attempt> Attempts)
{
    /// <summary>
    /// Whether the program is parallel at all (a directive, MPI call or kernel launch, and more than one
    /// thread or rank used); null when not checked. A non-parallel answer never counts as a parallel success.
    /// </summary>
    [Id(100), JsonPropertyName("parallel")]
    public bool? Parallel { get; init; }

    /// <summary>The catalog expert solution's best speedup on the same agent, input and counts, measured through the same paired protocol.</summary>
    [Id(101), JsonPropertyName("expert_speedup")]
    public double? ExpertSpeedup { get; init; }

    /// <summary>What the model calls of this experiment cost, in US dollars, when prices are configured.</summary>
    [Id(102), JsonPropertyName("cost_usd")]
    public double? CostUsd { get; init; }

    /// <summary>True when the sweep let the model choose the technology (<c>auto</c>); <see cref="Technology"/> is its choice.</summary>
    [Id(103), JsonPropertyName("technology_chosen_by_model")]
    public bool TechnologyChosenByModel { get; init; }

    /// <summary>Every build and run job of the experiment, in order, with its queue, start and finish times on the agent.</summary>
    [Id(104), JsonPropertyName("jobs")]
    public IReadOnlyList<JobSpan> Jobs { get; init; } = [];

    /// <summary>
    /// The correctness finding on its own, apart from parallelism: true when the final program's output passed every
    /// check (<see cref="Verdict.Correct"/> or <see cref="Verdict.NotParallel"/>), false when it ran and failed one,
    /// null when there was no program to run (no code, a build error, an infrastructure failure).
    /// </summary>
    [JsonPropertyName("output_correct")]
    public bool? OutputCorrect => Verdict switch
    {
        Verdict.Correct or Verdict.NotParallel => true,
        Verdict.WrongOutput or Verdict.RuntimeError or Verdict.Timeout => false,
        _ => null,
    };

    /// <summary>
    /// The files of the final answer that differ from the kernel's own sources (or that the kernel has not); the kernel's
    /// other sources were built as they are. Empty when the answer repeats the kernel's files unchanged or gave no code.
    /// </summary>
    [Id(110), JsonPropertyName("changed_files")]
    public IReadOnlyList<string> ChangedFiles { get; init; } = [];

    /// <summary>
    /// Every configuration's outcome on the run input, in the order they ran: the verdict is the first failing one's, and
    /// only the correct ones are in <see cref="Runs"/> with a speedup. Empty when the program never ran.
    /// </summary>
    [Id(111), JsonPropertyName("configurations")]
    public IReadOnlyList<ConfigurationOutcome> Configurations { get; init; } = [];

    /// <summary>
    /// What the reference printed on the run input, and whether a verdict resting on it is weak (its <c>weakness</c>);
    /// null when no program ran.
    /// </summary>
    [Id(112), JsonPropertyName("reference_output"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public OutputStrength? ReferenceOutput { get; init; }

    /// <summary>The run <see cref="Speedup"/> comes from (the best count), whose interval and flags the record repeats.</summary>
    private RunMeasurement? Best => Speedup is null ? null : Runs.FirstOrDefault(r => r.Speedup == Speedup);

    /// <summary>[low, high]: the 95 % interval of <see cref="Speedup"/>.</summary>
    [JsonPropertyName("speedup_ci")]
    public IReadOnlyList<double>? SpeedupCi => Best?.SpeedupCi;

    [JsonPropertyName("pairs")]
    public int? Pairs => Best?.Pairs;

    [JsonPropertyName("cv")]
    public double? Cv => Best?.Cv;

    /// <summary>Whether <see cref="Speedup"/> missed the target precision.</summary>
    [JsonPropertyName("noisy")]
    public bool Noisy => Best?.Noisy ?? false;

    [JsonPropertyName("superlinear")]
    public bool Superlinear => Best?.Superlinear ?? false;
}
