using System.Diagnostics;
using OpenTelemetry;

namespace Kernelsmith.ServiceDefaults;

/// <summary>
/// Keeps grain-call spans that belong to a trace and drops those that would start one: progress polls, heartbeats
/// relayed to the registry, timers. Without it every poll of <c>kernelsmith run</c> is a trace of its own and the
/// experiments' traces drown. Clearing the recorded flag also drops what the call causes on the other side.
/// </summary>
internal sealed class OrphanGrainCallFilter : BaseProcessor<Activity>
{
    public const string GrainCallSource = "Microsoft.Orleans.Application";

    public override void OnStart(Activity data)
    {
        if (data.Source.Name == GrainCallSource && data.ParentSpanId == default)
        {
            data.IsAllDataRequested = false;
            data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        }
    }
}
