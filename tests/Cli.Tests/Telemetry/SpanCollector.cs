using System.Diagnostics;
using Kernelsmith.Contracts.Telemetry;

namespace Kernelsmith.Cli.Tests.Telemetry;

/// <summary>Collects the spans of Kernelsmith's activity source that stop while it listens, in process, without an exporter.</summary>
public sealed class SpanCollector : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly List<Activity> _spans = [];

    public SpanCollector()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TelemetryNames.ActivitySource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (_spans)
                {
                    _spans.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The stopped spans tagged with <paramref name="tag"/> = <paramref name="value"/> (other tests run alongside).</summary>
    public IReadOnlyList<Activity> Tagged(string tag, string value)
    {
        lock (_spans)
        {
            return _spans.Where(s => s.GetTagItem(tag) as string == value).ToList();
        }
    }

    public void Dispose() => _listener.Dispose();
}
