using System.Diagnostics;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Grains.Experiments;

namespace Kernelsmith.Grains.Telemetry;

/// <summary>
/// One experiment, one trace. The root span is a real root, linked to the sweep span that started the experiment, so
/// a sweep of thousands of experiments does not become one unreadable trace. Its context is kept in the experiment's
/// state: an activation that resumes the experiment (another silo, after this one died) continues the same trace under
/// a <c>resume</c> span. Inside, each round of generate, build, run and verify is a span (<c>round</c>, then
/// <c>repair</c> for the repair rounds), and <c>kernelsmith.experiments.active</c> counts experiments by stage.
/// </summary>
public sealed class ExperimentTrace : IDisposable
{
    private readonly Activity? _activity;
    private readonly string _model;
    private Activity? _round;
    private ExperimentStage _stage;
    private Verdict? _verdict;

    private ExperimentTrace(Activity? activity, Experiment experiment, TraceIds ids)
    {
        _activity = activity;
        _model = experiment.Spec.Model.DisplayName;
        _stage = experiment.Stage;
        Ids = ids;
        GrainsInstrumentation.ExperimentsActive.Add(1, Stage(_stage));
        Moved(experiment);
    }

    /// <summary>The experiment's trace id and root span, for its state: a later activation continues the same trace.</summary>
    public TraceIds Ids { get; }

    /// <summary>
    /// Starts the experiment's root span, or its <c>resume</c> span when the experiment already has a root, and makes it
    /// current for the calling method. <see cref="Ids"/> holds the trace id every record carries.
    /// </summary>
    public static ExperimentTrace Start(Experiment experiment)
    {
        var (spec, ids) = (experiment.Spec, experiment.Trace);
        // Whatever span is current belongs to the sweep's trace; this experiment's spans go in a trace of its own.
        Activity.Current = null;
        ActivityLink[]? links = ActivityContext.TryParse(ids.SweepSpan, null, out var sweep) ? [new ActivityLink(sweep)] : null;
        KeyValuePair<string, object?>[] tags =
        [
            new("kernelsmith.experiment", spec.ExperimentId),
            new("kernelsmith.sweep", spec.SweepId),
            new("kernelsmith.kernel", spec.Kernel),
            new("kernelsmith.model", spec.Model.Id),
            new("kernelsmith.technology", spec.Technology),
            new("kernelsmith.prompt", spec.Prompt),
            new("kernelsmith.sample", spec.Sample),
        ];

        Activity? activity;
        if (ActivityContext.TryParse(ids.RootSpan, null, isRemote: true, out var root))
        {
            activity = GrainsInstrumentation.Source.StartActivity("resume", ActivityKind.Internal, root, tags, links);
            activity?.SetTag("kernelsmith.stage", experiment.Stage.ToString().ToLowerInvariant());
        }
        else
        {
            activity = GrainsInstrumentation.Source.StartActivity("experiment", ActivityKind.Internal, default(ActivityContext), tags, links);
            ids = ids with { RootSpan = activity?.Id ?? "" };
            if (activity is not null || ids.TraceId.Length == 0)
            {
                ids = ids with { TraceId = (activity?.TraceId ?? ActivityTraceId.CreateRandom()).ToHexString() };
            }
        }

        return new ExperimentTrace(activity, experiment, ids);
    }

    /// <summary>Follows a change of stage: counts it, and closes or opens the round's span.</summary>
    public void Moved(Experiment experiment)
    {
        var (stage, round) = (experiment.Stage, experiment.Current);
        _verdict = round.Verdict;
        if (stage != _stage)
        {
            GrainsInstrumentation.ExperimentTransitions.Add(1);
            GrainsInstrumentation.ExperimentsActive.Add(-1, Stage(_stage));
            if (stage != ExperimentStage.Done)
            {
                GrainsInstrumentation.ExperimentsActive.Add(1, Stage(stage));
            }

            _stage = stage;
        }

        var inRound = stage is ExperimentStage.Generate or ExperimentStage.Extract or ExperimentStage.Build or ExperimentStage.Run or ExperimentStage.Verify
            or ExperimentStage.Amplify or ExperimentStage.Sanitize;
        if (!inRound && _round is not null)
        {
            EndRound();
        }
        else if (inRound && _round is null)
        {
            _round = GrainsInstrumentation.Source.StartActivity(round.Number == 0 ? "round" : "repair");
            _round?.SetTag("kernelsmith.round", round.Number);
        }
    }

    /// <summary>Marks the current span (the failing step's, or the round's) with the verdict the step ended in.</summary>
    public static void Failed(Verdict verdict, string reason)
    {
        var activity = Activity.Current;
        activity?.SetTag("kernelsmith.verdict", verdict.ToWireName());
        activity?.SetStatus(ActivityStatusCode.Error, $"{verdict.ToWireName()}: {reason}");
    }

    /// <summary>Counts a final record: by verdict, and how many rounds it took.</summary>
    public static void Recorded(ExperimentRecord record)
    {
        var tags = new TagList
        {
            { "kernelsmith.verdict", record.Verdict.ToWireName() },
            { "kernelsmith.model", record.Model },
            { "kernelsmith.technology", record.Technology },
        };
        GrainsInstrumentation.ExperimentsRecorded.Add(1, tags);
        GrainsInstrumentation.ExperimentRounds.Record(record.Rounds, tags);
    }

    public void Dispose()
    {
        EndRound();
        if (_stage != ExperimentStage.Done)
        {
            GrainsInstrumentation.ExperimentsActive.Add(-1, Stage(_stage));
        }

        _activity?.SetTag("kernelsmith.verdict", _verdict?.ToWireName());
        _activity?.Dispose();
    }

    private void EndRound()
    {
        _round?.SetTag("kernelsmith.verdict", _verdict?.ToWireName());
        _round?.Dispose();
        _round = null;
    }

    private TagList Stage(ExperimentStage stage) => new()
    {
        { "kernelsmith.stage", stage.ToString().ToLowerInvariant() },
        { "kernelsmith.model", _model },
    };
}
