using Kernelsmith.Cli.Embedded;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;
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
            var sweep = cluster.Grains.GetGrain<ISweepGrain>($"embedded-otlp-{Guid.NewGuid():n}");
            await sweep.StartAsync(sweepSpec, [catalog.TryGet("gemm", out var gemm) ? gemm : throw new KeyNotFoundException("gemm")]);
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while ((await sweep.GetProgressAsync()).Recorded == 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the sweep did not finish within 2 minutes");
                await Task.Delay(200);
            }

            record = Assert.Single(await sweep.GetRecordsAsync(0, 10));
        }

        await receiver.WaitUntilAsync(r => r.Spans.Any(s => s.TraceId == record.TraceId && s.Name == "experiment"), TimeSpan.FromSeconds(10));
        var trace = receiver.Spans.Where(s => s.TraceId == record.TraceId).ToList();
        Assert.Contains(trace, s => s.Name == "sandbox run");
        Assert.All(trace.GroupBy(s => s.SpanId), copies => Assert.True(copies.Count() == 1, $"span {copies.First().Name} was exported {copies.Count()} times"));
    }
}
