using System.Diagnostics;
using System.Diagnostics.Metrics;
using Kernelsmith.Contracts.Protos;
using Kernelsmith.Contracts.Telemetry;

namespace Kernelsmith.Agents.Node.Telemetry;

/// <summary>
/// The agent's activity source and instruments. Its spans nest under the gRPC server span that ASP.NET Core opens from
/// the dispatcher's W3C <c>traceparent</c>, so a build or run on an agent appears inside the experiment's trace.
/// </summary>
public static class AgentInstrumentation
{
    public static readonly ActivitySource Source = new(TelemetryNames.ActivitySource);
    private static readonly Meter s_meter = new(TelemetryNames.Meter);
    private static long s_busyCores;

    private static readonly Histogram<double> s_sandboxSeconds =
        s_meter.CreateHistogram<double>("kernelsmith.agent.sandbox.duration", "s", "Builds and runs inside the sandbox, by kind and outcome",
            tags: null, advice: HistogramBuckets.Seconds);

    private static readonly ObservableGauge<double> s_utilization = s_meter.CreateObservableGauge(
        "kernelsmith.agent.utilization", () => (double)Interlocked.Read(ref s_busyCores) / Environment.ProcessorCount,
        "1", "Share of this agent's cores reserved by builds and runs");

    /// <summary>Starts the span of a sandboxed build or run that holds <paramref name="cores"/> cores.</summary>
    public static SandboxJob StartSandbox(string kind, string jobId, int cores) => new(kind, jobId, Math.Clamp(cores, 1, Environment.ProcessorCount));

    /// <summary>A build or run in the sandbox: its span, its cores, its duration.</summary>
    public sealed class SandboxJob : IDisposable
    {
        private readonly Activity? _activity;
        private readonly string _kind;
        private readonly int _cores;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private string _outcome = "failed";

        internal SandboxJob(string kind, string jobId, int cores)
        {
            _kind = kind;
            _cores = cores;
            _activity = Source.StartActivity($"sandbox {kind}");
            _activity?.SetTag("kernelsmith.job.id", jobId);
            _activity?.SetTag("kernelsmith.cores", cores);
            Interlocked.Add(ref s_busyCores, cores);
        }

        public void Finished(JobResult result)
        {
            _outcome = result.Status switch
            {
                JobResult.Types.Status.TimedOut => "timeout",
                JobResult.Types.Status.KilledByLimit => "limit",
                _ => result.ExitCode == 0 && result.Signal == 0 ? "ok" : "failed",
            };
            _activity?.SetTag("process.exit.code", result.ExitCode);
            _activity?.SetTag("kernelsmith.signal", result.Signal);
            _activity?.SetTag("kernelsmith.outcome", _outcome);
            if (_outcome != "ok")
            {
                // A failing build or crashing program is the generated code's doing, but it is where the trace should point.
                _activity?.SetStatus(ActivityStatusCode.Error, _outcome switch
                {
                    "timeout" => "killed at the time limit",
                    "limit" => $"killed by a resource limit: {result.Message}",
                    _ => $"exit code {result.ExitCode}, signal {result.Signal}",
                });
            }
        }

        public void Dispose()
        {
            Interlocked.Add(ref s_busyCores, -_cores);
            s_sandboxSeconds.Record(_clock.Elapsed.TotalSeconds, new("kernelsmith.job.kind", _kind), new("kernelsmith.outcome", _outcome));
            _activity?.Dispose();
        }
    }
}
