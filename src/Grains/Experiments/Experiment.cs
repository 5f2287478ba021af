using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Verification;

namespace Kernelsmith.Grains.Experiments;

/// <summary>
/// One experiment: its spec, the stage it has reached and its rounds, oldest first. The aggregate owns every change of
/// stage (<see cref="After"/>): a stage's work returns a new round, and the experiment decides where to go next, when a
/// round is closed and when a repair round begins. Values never change; each step makes a new experiment.
/// </summary>
[GenerateSerializer, Immutable, Alias("Kernelsmith.Experiment")]
public sealed record Experiment(ExperimentSpec Spec, ExperimentStage Stage, IReadOnlyList<Round> Rounds)
{
    /// <summary>Tries of the current stage that failed for the infrastructure's sake, in a row.</summary>
    [Id(3)] public int Retries { get; init; }

    /// <summary>The content hash of the kernel the experiment runs, as its sweep gave it.</summary>
    [Id(4)] public string KernelHash { get; init; } = "";

    /// <summary>The experiment's trace: its id, its root span and the sweep span it links to.</summary>
    [Id(5)] public TraceIds Trace { get; init; } = TraceIds.None;

    public static Experiment Start(ExperimentSpec spec, string sweepSpan) =>
        new(spec, ExperimentStage.Pending, [new Round(0, [])]) { Trace = TraceIds.None with { SweepSpan = sweepSpan } };

    public Round Current => Rounds[^1];

    public bool IsDone => Stage == ExperimentStage.Done;

    /// <summary>The technology in effect: the spec's, or the one the model chose last when the spec says <c>auto</c>.</summary>
    public string Technology => Last(r => r.Technology) ?? Spec.Technology;

    /// <summary>The agent of the latest build: later rounds go back to it while it is alive.</summary>
    public string? AgentId => Last(r => r.AgentId);

    /// <summary>Everything said so far: each round's prompt turns, then its answer.</summary>
    public IReadOnlyList<ChatTurn> Conversation =>
        [.. Rounds.SelectMany(r => r.Answer is null ? r.Asked : [.. r.Asked, ChatTurn.Assistant(r.Answer)])];

    /// <summary>The rounds whose verdict is final, as readers see them.</summary>
    public IReadOnlyList<Attempt> Attempts => [.. Rounds.Where(r => r.Closed).Select(r => r.ToAttempt())];

    /// <summary>The model that answers the current round: another one in a cross-model repair.</summary>
    public ModelSpec Model => Current.Number > 0 && Spec.RepairModel is { } repairer ? repairer : Spec.Model;

    /// <summary>
    /// Moves on after the current stage's work: <paramref name="round"/> (the work's result) replaces the current round,
    /// with the <paramref name="jobs"/> the work ran added to its timeline, and <paramref name="failure"/>, when the
    /// stage failed, decides where to go. A failed round, or one that passed its last check, is closed; a repair with
    /// rounds left starts the next round with the feedback as its prompt.
    /// </summary>
    public Experiment After(Round round, Verdict? failure, IReadOnlyList<JobSpan>? jobs = null)
    {
        if (jobs is { Count: > 0 })
        {
            round = round with { Jobs = [.. round.Jobs, .. jobs] };
        }

        if (failure is not null || Stage == ExperimentStage.Sanitize)
        {
            round = round with { Closed = true };
        }

        if (failure is null && Stage == ExperimentStage.Sanitize && round.Parallel == false)
        {
            // Right output, but nothing runs in parallel: never a successful port, whatever its timings say.
            round = round.NotParallel();
        }

        var next = Next(Stage, failure, roundsLeft: round.Number < Spec.Repair.Rounds);
        List<Round> rounds = [.. Rounds.Take(Rounds.Count - 1), round];
        if (Stage == ExperimentStage.Repair && next == ExperimentStage.Generate)
        {
            rounds.Add(new Round(round.Number + 1, [RepairFeedback.Turn(round.Verdict ?? Verdict.InfraError, round.Feedback)]));
        }

        return this with { Stage = next, Rounds = rounds, Retries = 0 };
    }

    /// <summary>Counts a try of the current stage that failed for the infrastructure's sake; the jobs it ran stay in the round.</summary>
    public Experiment Retried(IReadOnlyList<JobSpan> jobs) => WithJobs(jobs) with { Retries = Retries + 1 };

    /// <summary>Adds jobs to the current round's timeline (those of a try that failed before its round was returned).</summary>
    public Experiment WithJobs(IReadOnlyList<JobSpan> jobs) =>
        jobs.Count == 0 ? this : this with { Rounds = [.. Rounds.Take(Rounds.Count - 1), Current with { Jobs = [.. Current.Jobs, .. jobs] }] };

    /// <summary>
    /// The state machine's rules. A step either succeeds or fails with a verdict; failures go to repair, except
    /// infrastructure failures, which are recorded as they are (they are never the model's to fix).
    /// </summary>
    public static ExperimentStage Next(ExperimentStage stage, Verdict? failure, bool roundsLeft)
    {
        if (failure == Verdict.InfraError)
        {
            return ExperimentStage.Record;
        }

        return (stage, failure) switch
        {
            (ExperimentStage.Pending, _) => ExperimentStage.Generate,
            (ExperimentStage.Generate, null) => ExperimentStage.Extract,
            (ExperimentStage.Extract, null) => ExperimentStage.Build,
            (ExperimentStage.Build, null) => ExperimentStage.Run,
            (ExperimentStage.Run, null) => ExperimentStage.Verify,
            (ExperimentStage.Verify, null) => ExperimentStage.Amplify,
            (ExperimentStage.Amplify, null) => ExperimentStage.Sanitize,
            (ExperimentStage.Sanitize, null) => ExperimentStage.Record,
            (ExperimentStage.Repair, _) => roundsLeft ? ExperimentStage.Generate : ExperimentStage.Record,
            (ExperimentStage.Record, _) => ExperimentStage.Done,
            (ExperimentStage.Done, _) => ExperimentStage.Done,
            (_, not null) => ExperimentStage.Repair,
            _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "unknown stage"),
        };
    }

    /// <summary>The latest round's value of something a round may not have reached (a build, a timed run).</summary>
    internal T? Last<T>(Func<Round, T?> value) where T : class => Rounds.Select(value).LastOrDefault(v => v is not null);

    internal T? LastValue<T>(Func<Round, T?> value) where T : struct => Rounds.Select(value).LastOrDefault(v => v is not null);
}

/// <summary>The ids that tie an experiment's spans together across activations (W3C traceparent strings).</summary>
/// <param name="TraceId">The trace every record and report row carries.</param>
/// <param name="RootSpan">The experiment's root span: a resumed activation continues under it.</param>
/// <param name="SweepSpan">The span that started the experiment (the sweep's); the root span links to it.</param>
[GenerateSerializer, Immutable, Alias("Kernelsmith.TraceIds")]
public sealed record TraceIds(string TraceId, string RootSpan, string SweepSpan)
{
    public static TraceIds None { get; } = new("", "", "");
}
