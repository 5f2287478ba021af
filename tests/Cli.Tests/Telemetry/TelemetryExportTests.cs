using System.Text.Json.Nodes;
using Kernelsmith.Cli.Embedded;
using Kernelsmith.Cli.Tests.Cluster;
using Kernelsmith.Cli.Tests.Embedded;
using Kernelsmith.Cli.Tests.Llm;
using Kernelsmith.Cli.Tests.Telemetry.Otlp;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Cli.Tests.Telemetry;

/// <summary>
/// A sweep whose silo exports over OTLP/gRPC and whose agent, in another process, exports over OTLP HTTP/protobuf, both
/// to <see cref="OtlpReceiver"/>. The model is an <c>openai</c> endpoint (a local fake) whose API key must never show up.
/// </summary>
public sealed class TelemetryExportFixture : IAsyncLifetime
{
    public const string Secret = "sk-kernelsmith-telemetry-secret-7731";
    public const string Pool = "telemetry";
    private const string KeyVariable = "KERNELSMITH_TELEMETRY_TEST_KEY";

    public OtlpReceiver Receiver { get; private set; } = null!;

    public IReadOnlyList<ExperimentRecord> Records { get; private set; } = [];

    public string Scrape { get; private set; } = "";

    public string AgentOutput { get; private set; } = "";

    /// <summary>The secret silo and agent share: no more exportable than the API key.</summary>
    public string ClusterToken { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Receiver = await OtlpReceiver.StartAsync();
        await using var model = await FakeOpenAiServer.StartAsync();
        var expert = await File.ReadAllTextAsync(Path.Combine(Repository.Kernels, "gemm", "solutions", "openmp", "gemm.c"));
        // The first answer does not compile; the answer to the feedback does: every experiment takes one repair round.
        model.DefaultAnswer = body => IsRepair(body)
            ? $"Fixed:\n```c\n{expert}\n```"
            : $"Here it is:\n```c\n{expert}\nint broken = undeclared_in_this_scope;\n```";
        Environment.SetEnvironmentVariable(KeyVariable, Secret);
        var work = ClusterFixture.EnterableDirectory();
        var prometheusPort = LoopbackPort.Free();
        var cluster = await EmbeddedCluster.StartAsync(work, CancellationToken.None, startAgent: false, new Dictionary<string, string?>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Receiver.GrpcEndpoint,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = OtlpReceiver.Grpc,
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
            ["OTEL_EXPORTER_PROMETHEUS_PORT"] = prometheusPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Silo:ResponseCache"] = Path.Combine(work, "cache"),
            ["Credentials:telemetry:KeyEnv"] = KeyVariable,
            ["Credentials:telemetry:Endpoints:0"] = model.Endpoint,
        });
        ClusterToken = cluster.Token;
        try
        {
            await using var agent = AgentProcess.Start(cluster.SiloUrl, Pool, $"telemetry-{Guid.NewGuid():n}"[..20], Path.Combine(work, "agent"), new Dictionary<string, string>
            {
                ["OTEL_EXPORTER_OTLP_ENDPOINT"] = Receiver.HttpEndpoint,
                ["OTEL_EXPORTER_OTLP_PROTOCOL"] = OtlpReceiver.HttpProtobuf,
                ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
                ["OTEL_BLRP_SCHEDULE_DELAY"] = "200",
                ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
                ["Logging__Console__FormatterName"] = "json",
                ["Cluster__Token"] = cluster.Token,
            });
            try
            {
                await ExternalAgents.WaitForPoolsAsync(cluster, [agent], Pool);
                Records = await ExternalAgents.RunSweepAsync(cluster, await WriteSpecAsync(work, model.Endpoint));
                using var http = new HttpClient();
                Scrape = await http.GetStringAsync($"http://localhost:{prometheusPort}/metrics");
            }
            finally
            {
                await agent.StopAsync();
                AgentOutput = agent.Output;
            }
        }
        finally
        {
            // Stopping the hosts flushes their exporters.
            await cluster.DisposeAsync();
        }

        await Receiver.WaitUntilAsync(r => Records.All(record => r.Spans.Any(s => s.TraceId == record.TraceId && s.Name == "sandbox run")), TimeSpan.FromSeconds(20));
    }

    public async Task DisposeAsync() => await Receiver.DisposeAsync();

    private static bool IsRepair(JsonObject body) => body["messages"]!.AsArray().Any(m => m!["role"]?.GetValue<string>() == "assistant");

    private static async Task<string> WriteSpecAsync(string work, string endpoint)
    {
        var spec = Path.Combine(work, "sweep.yaml");
        await File.WriteAllTextAsync(spec, $$"""
            name: telemetry
            kernels: [gemm]
            technologies: [openmp]
            models:
              - id: fake-gpt
                provider: openai
                endpoint: {{endpoint}}
                model: fake-gpt-4
                credential: telemetry
                price: { input: 2.5, output: 10 }
            samples: 2
            cache: false
            repair: { rounds: 1 }
            run: { input: tiny, threads: [1, 2], repetitions: 1, timeout: 20, max_pairs: 1, warmups: 0, expert: false }
            """);
        return spec;
    }

}

/// <summary>What a user of Jaeger or a Collector gets from a sweep: one connected trace per experiment, metrics, logs.</summary>
public sealed class TelemetryExportTests(TelemetryExportFixture sweep) : IClassFixture<TelemetryExportFixture>
{
    private const string Silo = "kernelsmith-silo";
    private const string Agent = "kernelsmith-agent";

    [Fact]
    public void Sweep_EveryExperiment_RecordCarriesTheTraceIdOfItsOwnRootSpan()
    {
        Assert.Equal(2, sweep.Records.Count);
        Assert.All(sweep.Records, r => Assert.Equal((Verdict.Correct, 2), (r.Verdict, r.Rounds)));
        Assert.Equal(2, sweep.Records.Select(r => r.TraceId).Distinct().Count());
        foreach (var record in sweep.Records)
        {
            Assert.Matches("^[0-9a-f]{32}$", record.TraceId);
            var root = Assert.Single(Trace(record), s => s.ParentSpanId.Length == 0);
            Assert.Equal(("experiment", Silo, record.Experiment), (root.Name, root.Service, root.Attributes["kernelsmith.experiment"]));
            Assert.Equal("correct", root.Attributes["kernelsmith.verdict"]);
        }
    }

    [Fact]
    public void Sweep_EveryExperiment_IsOneConnectedTraceWithItsSteps()
    {
        foreach (var record in sweep.Records)
        {
            var spans = Trace(record);
            var ids = spans.Select(s => s.SpanId).ToHashSet();
            Assert.All(spans, s => Assert.True(s.ParentSpanId.Length == 0 || ids.Contains(s.ParentSpanId), $"span {s.Name} ({s.Service}) has a parent outside the trace:\n{Describe(spans)}"));
            var names = spans.Select(s => s.Name).ToHashSet();
            foreach (var expected in new[] { "round", "repair", "generate", "chat fake-gpt-4", "build", "job build", "sandbox build", "run", "job run", "sandbox run", "verify" })
            {
                Assert.Contains(expected, names);
            }

            var round = Assert.Single(spans, s => s.Name == "round");
            Assert.Equal(("0", "build_error"), (round.Attributes["kernelsmith.round"], round.Attributes["kernelsmith.verdict"]));
            var repair = Assert.Single(spans, s => s.Name == "repair");
            Assert.Equal(("1", "correct"), (repair.Attributes["kernelsmith.round"], repair.Attributes["kernelsmith.verdict"]));
            var failedBuild = Assert.Single(spans, s => s.Name == "build" && Ancestors(s, spans).Contains(round));
            Assert.Equal(Status.Types.StatusCode.Error, failedBuild.Span.Status?.Code);
            Assert.Contains("build_error", failedBuild.Span.Status!.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Sweep_ExperimentRoot_IsLinkedToTheSweepSpan()
    {
        foreach (var record in sweep.Records)
        {
            var root = Assert.Single(Trace(record), s => s.ParentSpanId.Length == 0);
            var link = Assert.Single(root.Span.Links);
            Assert.NotEqual(record.TraceId, link.TraceId.ToHex());
            var sweepSpan = Assert.Single(sweep.Receiver.Spans, s => s.TraceId == link.TraceId.ToHex() && s.Name == "sweep");
            Assert.Equal(record.Sweep, sweepSpan.Attributes["kernelsmith.sweep"]);
        }
    }

    [Fact]
    public void Sweep_AgentSpans_AreParentedUnderTheExperimentsJobSpans()
    {
        foreach (var record in sweep.Records)
        {
            var spans = Trace(record);
            var agentSpans = spans.Where(s => s.Service == Agent).ToList();
            Assert.Contains(agentSpans, s => s.Span.Kind == Span.Types.SpanKind.Server);
            Assert.All(agentSpans, s => Assert.Equal(OtlpReceiver.HttpProtobuf, s.Protocol));
            Assert.All(spans.Where(s => s.Service == Silo), s => Assert.Equal(OtlpReceiver.Grpc, s.Protocol));
            // Every call to the agent completes as an RPC: none is cancelled once its result is in.
            Assert.All(spans.Where(s => s.Name.StartsWith("kernelsmith.agent.v1.NodeAgent/", StringComparison.Ordinal)), call =>
                Assert.Equal(("OK", null), (call.Attributes.GetValueOrDefault("rpc.response.status_code"), call.Span.Status?.Code is Status.Types.StatusCode.Error ? "error" : null)));
            foreach (var sandbox in agentSpans.Where(s => s.Name.StartsWith("sandbox ", StringComparison.Ordinal)))
            {
                var chain = Ancestors(sandbox, spans);
                var job = chain.FirstOrDefault(s => s.Name.StartsWith("job ", StringComparison.Ordinal));
                Assert.True(job is not null, $"no job span above {sandbox.Name}:\n{Describe(spans)}");
                // A timed run is one of the runs of a paired measure job; every other sandbox is its own job.
                var kind = sandbox.Name["sandbox ".Length..];
                Assert.Equal(Silo, job.Service);
                Assert.Contains(job.Name, (string[])(kind == "run" ? ["job run", "job measure"] : [$"job {kind}"]));
                Assert.Equal(TelemetryExportFixture.Pool, job.Attributes["kernelsmith.pool"]);
                Assert.Equal("experiment", chain[^1].Name);
            }
        }
    }

    [Fact]
    public void Sweep_ModelCalls_FollowTheGenAiConventionsWithoutContent()
    {
        var calls = sweep.Records.SelectMany(Trace).Where(s => s.Name == "chat fake-gpt-4").ToList();
        Assert.Equal(4, calls.Count);
        Assert.All(calls, call =>
        {
            Assert.Equal(Span.Types.SpanKind.Client, call.Span.Kind);
            Assert.Equal("openai", call.Attributes["gen_ai.system"]);
            Assert.Equal("chat", call.Attributes["gen_ai.operation.name"]);
            Assert.Equal("fake-gpt-4", call.Attributes["gen_ai.request.model"]);
            Assert.True(long.Parse(call.Attributes["gen_ai.usage.input_tokens"], System.Globalization.CultureInfo.InvariantCulture) > 0);
            Assert.True(long.Parse(call.Attributes["gen_ai.usage.output_tokens"], System.Globalization.CultureInfo.InvariantCulture) > 0);
            Assert.Equal("stop", call.Attributes["gen_ai.response.finish_reasons"]);
            Assert.Equal("127.0.0.1", call.Attributes["server.address"]);
            // Prompt and answer text are opt-in.
            Assert.DoesNotContain("gen_ai.input.messages", call.Attributes.Keys);
            Assert.DoesNotContain("gen_ai.output.messages", call.Attributes.Keys);
        });
    }

    [Theory]
    [InlineData(TelemetryExportFixture.Secret)]
    [InlineData(null)]
    public void Sweep_Export_NeverContainsTheApiKeyOrTheClusterToken(string? secret)
    {
        secret ??= sweep.ClusterToken;
        static IEnumerable<KeyValue> Everywhere(Span span) =>
            span.Attributes.Concat(span.Links.SelectMany(l => l.Attributes)).Concat(span.Events.SelectMany(e => e.Attributes));

        Assert.NotEmpty(sweep.Receiver.Spans);
        Assert.NotEqual("", secret);
        Assert.All(sweep.Receiver.Spans.SelectMany(s => Everywhere(s.Span)), kv => Assert.DoesNotContain(secret, kv.Value.AsString(), StringComparison.Ordinal));
        Assert.All(sweep.Receiver.Spans, s => Assert.DoesNotContain(secret, s.Span.Status?.Message ?? "", StringComparison.Ordinal));
        Assert.All(sweep.Receiver.Metrics.SelectMany(m => m.Attributes.Values), v => Assert.DoesNotContain(secret, v, StringComparison.Ordinal));
        Assert.All(sweep.Receiver.Logs, l => Assert.DoesNotContain(secret, l.Body + string.Concat(l.Attributes.Values), StringComparison.Ordinal));
        Assert.DoesNotContain(secret, sweep.Scrape, StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_Metrics_ArriveFromSiloAndAgent()
    {
        var silo = sweep.Receiver.Metrics.Where(m => m.Service == Silo && m.Protocol == OtlpReceiver.Grpc).ToList();
        Assert.Contains(silo, m => m.Name == "kernelsmith.experiments.recorded" && m.Attributes.GetValueOrDefault("kernelsmith.verdict") == "correct" && m.Attributes.GetValueOrDefault("kernelsmith.model") == "fake-gpt");
        Assert.Contains(silo, m => m.Name == "kernelsmith.experiment.rounds" && m.Attributes.GetValueOrDefault("kernelsmith.model") == "fake-gpt");
        Assert.Contains(silo, m => m.Name == "kernelsmith.experiments.active" && m.Attributes.GetValueOrDefault("kernelsmith.model") == "fake-gpt");
        foreach (var name in new[] { "gen_ai.client.operation.duration", "gen_ai.client.token.usage", "kernelsmith.model.cost" })
        {
            Assert.Contains(silo, m => m.Name == name && m.Attributes.GetValueOrDefault("gen_ai.request.model") == "fake-gpt-4");
        }

        foreach (var name in new[] { "kernelsmith.jobs.queued", "kernelsmith.jobs.running", "kernelsmith.job.duration" })
        {
            Assert.Contains(silo, m => m.Name == name && m.Attributes.GetValueOrDefault("kernelsmith.pool") == TelemetryExportFixture.Pool);
        }

        var agent = sweep.Receiver.Metrics.Where(m => m.Service == Agent && m.Protocol == OtlpReceiver.HttpProtobuf).ToList();
        Assert.Contains(agent, m => m.Name == "kernelsmith.agent.sandbox.duration" && m.Attributes.GetValueOrDefault("kernelsmith.job.kind") == "run");
        Assert.Contains(agent, m => m.Name == "kernelsmith.agent.utilization");
    }

    [Fact]
    public void Sweep_PrometheusEndpoint_ServesTheSilosMetrics()
    {
        Assert.Contains("kernelsmith_experiments_recorded", sweep.Scrape, StringComparison.Ordinal);
        Assert.Contains("gen_ai_client_operation_duration_seconds_bucket", sweep.Scrape, StringComparison.Ordinal);
        Assert.Contains("kernelsmith_job_duration_seconds", sweep.Scrape, StringComparison.Ordinal);
    }

    [Fact]
    public void Sweep_AgentLogs_CarryTheExperimentsTraceId()
    {
        foreach (var record in sweep.Records)
        {
            Assert.Contains(sweep.Receiver.Logs, l => l.Service == Agent && l.TraceId == record.TraceId
                && (l.Body + string.Concat(l.Attributes.Values)).Contains(record.Experiment, StringComparison.Ordinal));
            // The agent's JSON console lines carry it too.
            Assert.Contains($"\"TraceId\":\"{record.TraceId}\"", sweep.AgentOutput, StringComparison.Ordinal);
        }
    }

    /// <summary>The trace as an indented tree, for the message of a failing assertion.</summary>
    private static string Describe(IReadOnlyList<ReceivedSpan> trace)
    {
        var text = new System.Text.StringBuilder();
        void Write(ReceivedSpan span, int depth)
        {
            text.AppendLine($"{new string(' ', 2 * depth)}{span.Name} [{span.Service}, {span.Span.Kind}]");
            foreach (var child in trace.Where(s => s.ParentSpanId == span.SpanId))
            {
                Write(child, depth + 1);
            }
        }

        var ids = trace.Select(s => s.SpanId).ToHashSet();
        foreach (var top in trace.Where(s => !ids.Contains(s.ParentSpanId)))
        {
            Write(top, 0);
        }

        return text.ToString();
    }

    private List<ReceivedSpan> Trace(ExperimentRecord record) => sweep.Receiver.Spans.Where(s => s.TraceId == record.TraceId).ToList();

    /// <summary>The span's parent, its parent's parent, and so on up to the root.</summary>
    private static List<ReceivedSpan> Ancestors(ReceivedSpan span, IReadOnlyList<ReceivedSpan> trace)
    {
        var byId = trace.ToDictionary(s => s.SpanId);
        var chain = new List<ReceivedSpan>();
        for (var current = span; byId.TryGetValue(current.ParentSpanId, out var parent); current = parent)
        {
            chain.Add(parent);
        }

        return chain;
    }
}
