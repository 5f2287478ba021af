using System.Diagnostics;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Experiments;
using Kernelsmith.Grains.Telemetry;

namespace Kernelsmith.Cli.Tests.Telemetry;

/// <summary>One experiment, one trace: a root of its own linked to its sweep, continued (not restarted) on resume.</summary>
public sealed class ExperimentTraceTests
{
    private static readonly ActivitySource s_caller = new("Kernelsmith");

    [Fact]
    public void Start_StartedBySweep_RootIsANewTraceLinkedToTheSweepSpan()
    {
        using var spans = new SpanCollector();
        Experiment experiment;
        TraceIds ids;
        ActivityContext sweep;
        using (var sweepSpan = s_caller.StartActivity("sweep"))
        {
            sweep = sweepSpan!.Context;
            experiment = Experiment.Start(Spec(), Activity.Current?.Id ?? "");
            using var trace = ExperimentTrace.Start(experiment);
            ids = trace.Ids;
        }

        var root = Assert.Single(spans.Tagged("kernelsmith.experiment", experiment.Spec.ExperimentId));
        Assert.Equal("experiment", root.OperationName);
        Assert.Equal(default, root.ParentSpanId);
        Assert.NotEqual(sweep.TraceId, root.TraceId);
        Assert.Equal(root.TraceId.ToHexString(), ids.TraceId);
        Assert.Equal(sweep, Assert.Single(root.Links).Context);
    }

    [Fact]
    public void Start_ResumedActivation_ContinuesTheSameTraceUnderAResumeSpan()
    {
        using var spans = new SpanCollector();
        var state = Experiment.Start(Spec(), "");
        using (var first = ExperimentTrace.Start(state))
        {
            state = state with { Stage = ExperimentStage.Generate, Trace = first.Ids };
            first.Moved(state);
        }

        var (traceId, rootSpan) = (state.Trace.TraceId, state.Trace.RootSpan);
        // Another silo activates the experiment where the state says it was: building, in its first repair round.
        state = state with { Stage = ExperimentStage.Build, Rounds = [.. state.Rounds, new Round(1, [])] };
        using (var resumed = ExperimentTrace.Start(state))
        {
            state = state with { Stage = ExperimentStage.Run, Trace = resumed.Ids };
            resumed.Moved(state);
        }

        var all = spans.Tagged("kernelsmith.experiment", state.Spec.ExperimentId);
        var root = Assert.Single(all, s => s.OperationName == "experiment");
        var resume = Assert.Single(all, s => s.OperationName == "resume");
        Assert.Equal((traceId, rootSpan), (state.Trace.TraceId, state.Trace.RootSpan));
        Assert.Equal(root.TraceId, resume.TraceId);
        Assert.Equal(root.SpanId, resume.ParentSpanId);
        Assert.Equal("build", resume.GetTagItem("kernelsmith.stage"));
    }

    [Fact]
    public void Moved_ThroughARepair_OneSpanPerRoundWithItsVerdict()
    {
        using var spans = new SpanCollector();
        var state = Experiment.Start(Spec(), "");
        var rounds = new List<Activity>();
        using (var trace = ExperimentTrace.Start(state))
        {
            foreach (var (stage, round, verdict) in new (ExperimentStage, int, Verdict?)[]
            {
                (ExperimentStage.Generate, 0, null), (ExperimentStage.Build, 0, null), (ExperimentStage.Repair, 0, Verdict.BuildError),
                (ExperimentStage.Generate, 1, null), (ExperimentStage.Verify, 1, null), (ExperimentStage.Record, 1, Verdict.Correct),
                (ExperimentStage.Done, 1, Verdict.Correct),
            })
            {
                state = state with { Stage = stage, Rounds = [.. state.Rounds.Take(round), new Round(round, []) { Verdict = verdict }] };
                trace.Moved(state);
                if (Activity.Current is { OperationName: "round" or "repair" } current && !rounds.Contains(current))
                {
                    rounds.Add(current);
                }
            }
        }

        Assert.Equal(["round", "repair"], rounds.Select(r => r.OperationName));
        Assert.Equal(["build_error", "correct"], rounds.Select(r => r.GetTagItem("kernelsmith.verdict")));
        Assert.Equal([0, 1], rounds.Select(r => r.GetTagItem("kernelsmith.round")));
        Assert.All(rounds, r => Assert.True(r.IsStopped));
        var root = Assert.Single(spans.Tagged("kernelsmith.experiment", state.Spec.ExperimentId));
        Assert.All(rounds, r => Assert.Equal(root.SpanId, r.ParentSpanId));
    }

    private static ExperimentSpec Spec() => new(
        $"trace-test/{Guid.NewGuid():n}", "trace-test", "gemm", new ModelSpec("m", ModelProviders.Sim, Behaviour: "expert"), "openmp", "plain", 0,
        new RepairSettings(1), new RunSettings("tiny", [1], [1], 1, 10, 10) { MaxPairs = 1, Warmups = 0, Expert = false });
}
