using System.Diagnostics;
using System.Diagnostics.Metrics;
using Kernelsmith.Contracts.Telemetry;

namespace Kernelsmith.Grains.Telemetry;

/// <summary>
/// The grains' activity source and instruments. Names follow the OpenTelemetry semantic conventions where one exists
/// (<c>gen_ai.*</c>, <c>error.type</c>, <c>server.*</c>); everything Kernelsmith-specific is under <c>kernelsmith.</c>.
/// </summary>
public static class GrainsInstrumentation
{
    public static readonly ActivitySource Source = new(TelemetryNames.ActivitySource);
    private static readonly Meter s_meter = new(TelemetryNames.Meter);

    public static readonly UpDownCounter<long> ExperimentsActive =
        s_meter.CreateUpDownCounter<long>("kernelsmith.experiments.active", "{experiment}", "Experiments being driven, by stage and model");

    public static readonly Counter<long> ExperimentsRecorded =
        s_meter.CreateCounter<long>("kernelsmith.experiments.recorded", "{experiment}", "Experiments that reached a final verdict, by verdict, model and technology");

    public static readonly Histogram<long> ExperimentRounds =
        s_meter.CreateHistogram<long>("kernelsmith.experiment.rounds", "{round}", "Rounds an experiment took (1 = no repair), by verdict and model",
            tags: null, advice: HistogramBuckets.Rounds);

    public static readonly UpDownCounter<long> JobsQueued =
        s_meter.CreateUpDownCounter<long>("kernelsmith.jobs.queued", "{job}", "Build and run jobs sent to an agent and waiting for its cores, by pool");

    public static readonly UpDownCounter<long> JobsRunning =
        s_meter.CreateUpDownCounter<long>("kernelsmith.jobs.running", "{job}", "Build and run jobs an agent is executing, by pool");

    public static readonly Histogram<double> JobSeconds =
        s_meter.CreateHistogram<double>("kernelsmith.job.duration", "s", "Build and run jobs as seen by the dispatcher, queueing included, by pool, kind and status",
            tags: null, advice: HistogramBuckets.Seconds);

    public static readonly Histogram<double> JobDispatchSeconds =
        s_meter.CreateHistogram<double>("kernelsmith.job.dispatch_latency", "s", "From the dispatcher sending a job to the agent starting it (queueing for cores included), by pool and kind",
            tags: null, advice: HistogramBuckets.Seconds);

    public static readonly Histogram<double> JobTransitSeconds =
        s_meter.CreateHistogram<double>("kernelsmith.job.transit", "s", "Dispatch latency less the time the job waited on the agent for cores: what sending and starting a job costs, by pool and kind",
            tags: null, advice: HistogramBuckets.Seconds);

    public static readonly Histogram<double> JobWallSeconds =
        s_meter.CreateHistogram<double>("kernelsmith.job.wall", "s", "What the agent measured a job's processes taking, by pool and kind",
            tags: null, advice: HistogramBuckets.Seconds);

    public static readonly Counter<long> ExperimentTransitions =
        s_meter.CreateCounter<long>("kernelsmith.experiment.transitions", "{transition}", "State-machine steps taken by experiments");

    public static readonly Histogram<double> ModelSeconds =
        s_meter.CreateHistogram<double>("gen_ai.client.operation.duration", "s", "Model calls, by model and error type",
            tags: null, advice: HistogramBuckets.Seconds);

    public static readonly Histogram<long> ModelTokens =
        s_meter.CreateHistogram<long>("gen_ai.client.token.usage", "{token}", "Tokens per model call, by model and token type (input, output)",
            tags: null, advice: HistogramBuckets.Tokens);

    public static readonly Counter<double> ModelCost =
        s_meter.CreateCounter<double>("kernelsmith.model.cost", "USD", "What model calls cost, by model, when prices are configured");

    public static readonly Counter<long> ModelErrors =
        s_meter.CreateCounter<long>("kernelsmith.model.errors", "{call}", "Model calls that failed, by model and error type");

    /// <summary>
    /// The span of a sweep (re)starting its experiments; each experiment's root span links to it. A child of the caller's
    /// span when the caller is traced, else the root of a trace of its own.
    /// </summary>
    public static Activity? StartSweep(string sweepId, int experiments)
    {
        if (Activity.Current is { Recorded: false })
        {
            Activity.Current = null;
        }

        var activity = Source.StartActivity("sweep");
        activity?.SetTag("kernelsmith.sweep", sweepId);
        activity?.SetTag("kernelsmith.experiments", experiments);
        return activity;
    }
}
