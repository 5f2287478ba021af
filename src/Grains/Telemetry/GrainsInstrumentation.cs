using System.Diagnostics;
using System.Diagnostics.Metrics;
using Kernelsmith.Contracts.Telemetry;

namespace Kernelsmith.Grains.Telemetry;

/// <summary>The grains' activity source and instruments.</summary>
public static class GrainsInstrumentation
{
    public static readonly ActivitySource Source = new(TelemetryNames.ActivitySource);
    private static readonly Meter s_meter = new(TelemetryNames.Meter);

    public static readonly Counter<long> ExperimentsRecorded =
        s_meter.CreateCounter<long>("kernelsmith.experiments.recorded", description: "Experiments that reached a final verdict");

    public static readonly Histogram<double> JobSeconds =
        s_meter.CreateHistogram<double>("kernelsmith.job.duration", unit: "s", description: "Build and run jobs as seen by the dispatcher");
}
