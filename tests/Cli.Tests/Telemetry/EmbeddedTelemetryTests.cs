using Kernelsmith.Cli.Embedded;
using Kernelsmith.Cli.Tests.Embedded;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Sweeps;

namespace Kernelsmith.Cli.Tests.Telemetry;

/// <summary><c>kernelsmith run</c> hosts silo and agent in one process: its telemetry must still be one pipeline, not two.</summary>
public sealed class EmbeddedTelemetryTests
{
    [Fact]
    public async Task Run_EmbeddedWithOtlp_EverySpanIsExportedOnceAndTheAgentsWorkIsInTheTrace()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var work = Directory.CreateTempSubdirectory("kernelsmith-embedded-otlp-").FullName;
        var spec = Path.Combine(work, "sweep.yaml");
        await File.WriteAllTextAsync(spec, """
            name: embedded-otlp
            kernels: [gemm]
            technologies: [openmp]
            models:
              - { id: expert, provider: sim, behaviour: expert }
            run: { input: tiny, threads: [1], repetitions: 1, max_pairs: 1, warmups: 0, expert: false }
            """);
        var catalog = KernelCatalog.Load([Repository.Kernels]);
        var sweepSpec = SweepSpecLoader.Load(spec, catalog);
        ExperimentRecord record;
        await using (var cluster = await EmbeddedCluster.StartAsync(work, CancellationToken.None, settings: new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = receiver.GrpcEndpoint,
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        }))
        {
            var sweep = await EmbeddedSweepApi.SubmitAsync(cluster, sweepSpec, [catalog.TryGet("gemm", out var gemm) ? gemm : throw new KeyNotFoundException("gemm")]);
            var records = await EmbeddedSweepApi.WatchAsync(cluster, sweep, TimeSpan.FromMinutes(2));
            record = Assert.Single(records);
        }

        await receiver.WaitUntilAsync(r => r.Spans.Any(s => s.TraceId == record.TraceId && s.Name == "experiment"), TimeSpan.FromSeconds(10));
        var trace = receiver.Spans.Where(s => s.TraceId == record.TraceId).ToList();
        Assert.Contains(trace, s => s.Name == "sandbox run");
        Assert.All(trace.GroupBy(s => s.SpanId), copies => Assert.True(copies.Count() == 1, $"span {copies.First().Name} was exported {copies.Count()} times"));
    }
}
