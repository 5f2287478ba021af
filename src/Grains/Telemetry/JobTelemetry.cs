using System.Diagnostics;
using Kernelsmith.Contracts.Agents;
using Kernelsmith.Grains.Scheduling;

namespace Kernelsmith.Grains.Telemetry;

/// <summary>
/// One build or run job as the dispatcher sees it: a client span <c>job build</c> or <c>job run</c> (the gRPC call under
/// it carries the trace context to the agent, whose spans nest below), counted as queued until the agent reports it
/// started, then as running, per pool.
/// </summary>
public sealed class JobTelemetry : IDisposable
{
    private readonly Activity? _activity;
    private readonly TagList _tags;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private bool _started;
    private double _dispatchSeconds;
    private string? _status;

    private JobTelemetry(AgentInfo agent, string kind)
    {
        _tags = new TagList { { "kernelsmith.pool", agent.Pool }, { "kernelsmith.job.kind", kind } };
        _activity = GrainsInstrumentation.Source.StartActivity($"job {kind}", ActivityKind.Client);
        _activity?.SetTag("kernelsmith.agent", agent.AgentId);
        _activity?.SetTag("kernelsmith.pool", agent.Pool);
        GrainsInstrumentation.JobsQueued.Add(1, _tags);
    }

    public static JobTelemetry Start(AgentInfo agent, string kind) => new(agent, kind);

    /// <summary>The agent has its cores and started the job.</summary>
    public void Started()
    {
        if (!_started)
        {
            _started = true;
            _dispatchSeconds = _clock.Elapsed.TotalSeconds;
            GrainsInstrumentation.JobDispatchSeconds.Record(_dispatchSeconds, _tags);
            GrainsInstrumentation.JobsQueued.Add(-1, _tags);
            GrainsInstrumentation.JobsRunning.Add(1, _tags);
            _activity?.AddEvent(new ActivityEvent("started"));
        }
    }

    /// <summary>The agent's result came back.</summary>
    public void Finished(JobReport result)
    {
        _status = result.Status.ToString().ToLowerInvariant();
        GrainsInstrumentation.JobWallSeconds.Record(result.WallSeconds, _tags);
        if (_started && result is { QueuedUnixMs: > 0, StartedUnixMs: > 0 })
        {
            var waited = (result.StartedUnixMs - result.QueuedUnixMs) / 1000.0;
            GrainsInstrumentation.JobTransitSeconds.Record(Math.Max(0, _dispatchSeconds - waited), _tags);
        }

        _activity?.SetTag("kernelsmith.job.status", _status);
        _activity?.SetTag("process.exit.code", result.ExitCode);
        _activity?.SetTag("kernelsmith.job.wall_seconds", result.WallSeconds);
        if (result.Status == JobStatus.AgentError)
        {
            _activity?.SetStatus(ActivityStatusCode.Error, result.Message);
        }
    }

    public void Dispose()
    {
        if (_status is null)
        {
            _activity?.SetStatus(ActivityStatusCode.Error, "no result from the agent");
        }

        var tags = _tags;
        tags.Add("kernelsmith.job.status", _status ?? "lost");
        GrainsInstrumentation.JobSeconds.Record(_clock.Elapsed.TotalSeconds, tags);
        (_started ? GrainsInstrumentation.JobsRunning : GrainsInstrumentation.JobsQueued).Add(-1, _tags);
        _activity?.Dispose();
    }
}
