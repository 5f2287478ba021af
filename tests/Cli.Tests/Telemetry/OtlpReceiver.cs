using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Google.Protobuf;
using Grpc.Core;
using Kernelsmith.Cli.Tests.Telemetry.Otlp;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kernelsmith.Cli.Tests.Telemetry;

/// <summary>A span as received, with the service that sent it and the protocol it came by.</summary>
public sealed record ReceivedSpan(string Service, string Protocol, Span Span)
{
    public string TraceId => Span.TraceId.ToHex();
    public string SpanId => Span.SpanId.ToHex();
    public string ParentSpanId => Span.ParentSpanId.ToHex();
    public string Name => Span.Name;
    public IReadOnlyDictionary<string, string> Attributes { get; } = Span.Attributes.ToStrings();
}

/// <summary>One data point of a metric as received: its attributes.</summary>
public sealed record ReceivedMetric(string Service, string Protocol, string Name, IReadOnlyDictionary<string, string> Attributes);

/// <summary>A log record as received: its text and the trace it was written in (empty when none).</summary>
public sealed record ReceivedLog(string Service, string Protocol, string TraceId, string Body, IReadOnlyDictionary<string, string> Attributes);

/// <summary>
/// A small OTLP receiver on loopback, in place of a Collector or Jaeger: the collector's gRPC services (HTTP/2 port)
/// and the HTTP/protobuf endpoints <c>POST /v1/traces</c>, <c>/v1/metrics</c>, <c>/v1/logs</c> (HTTP/1.1 port).
/// It keeps everything it decodes.
/// </summary>
public sealed class OtlpReceiver : IAsyncDisposable
{
    public const string Grpc = "grpc";
    public const string HttpProtobuf = "http/protobuf";

    private readonly WebApplication _app;
    private readonly Received _received;

    private OtlpReceiver(WebApplication app, Received received, int grpcPort, int httpPort)
    {
        _app = app;
        _received = received;
        GrpcEndpoint = $"http://127.0.0.1:{grpcPort}";
        HttpEndpoint = $"http://127.0.0.1:{httpPort}";
    }

    /// <summary>The value of <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> for exporters speaking gRPC.</summary>
    public string GrpcEndpoint { get; }

    /// <summary>The value of <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> for exporters speaking HTTP/protobuf.</summary>
    public string HttpEndpoint { get; }

    public IEnumerable<ReceivedSpan> Spans => _received.Spans;
    public IEnumerable<ReceivedMetric> Metrics => _received.Metrics;
    public IEnumerable<ReceivedLog> Logs => _received.Logs;

    public static async Task<OtlpReceiver> StartAsync()
    {
        var (grpcPort, httpPort) = (LoopbackPort.Free(), LoopbackPort.Free());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, grpcPort, listen => listen.Protocols = HttpProtocols.Http2);
            kestrel.Listen(IPAddress.Loopback, httpPort, listen => listen.Protocols = HttpProtocols.Http1);
        });
        var received = new Received();
        builder.Services.AddSingleton(received);
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<TraceExport>();
        app.MapGrpcService<MetricsExport>();
        app.MapGrpcService<LogsExport>();
        app.MapPost("/v1/traces", context => HandleAsync(context, ExportTraceServiceRequest.Parser, received.Add, new ExportTraceServiceResponse()));
        app.MapPost("/v1/metrics", context => HandleAsync(context, ExportMetricsServiceRequest.Parser, received.Add, new ExportMetricsServiceResponse()));
        app.MapPost("/v1/logs", context => HandleAsync(context, ExportLogsServiceRequest.Parser, received.Add, new ExportLogsServiceResponse()));
        await app.StartAsync();
        return new OtlpReceiver(app, received, grpcPort, httpPort);
    }

    /// <summary>Waits until <paramref name="condition"/> holds for what was received; false when it did not in time.</summary>
    public async Task<bool> WaitUntilAsync(Func<OtlpReceiver, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition(this))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(200);
        }

        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static async Task HandleAsync<T>(HttpContext context, MessageParser<T> parser, Action<T, string> add, IMessage response)
        where T : IMessage<T>
    {
        if (context.Request.ContentType?.StartsWith("application/x-protobuf", StringComparison.Ordinal) != true)
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            return;
        }

        // Kestrel forbids synchronous reads; the parser reads synchronously, so buffer the body first.
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        add(parser.ParseFrom(body.ToArray()), HttpProtobuf);
        context.Response.ContentType = "application/x-protobuf";
        await context.Response.Body.WriteAsync(response.ToByteArray(), context.RequestAborted);
    }


    /// <summary>What the receiver decoded, by signal.</summary>
    private sealed class Received
    {
        public ConcurrentQueue<ReceivedSpan> Spans { get; } = new();
        public ConcurrentQueue<ReceivedMetric> Metrics { get; } = new();
        public ConcurrentQueue<ReceivedLog> Logs { get; } = new();

        public void Add(ExportTraceServiceRequest request, string protocol)
        {
            foreach (var resource in request.ResourceSpans)
            {
                var service = ServiceName(resource.Resource);
                foreach (var span in resource.ScopeSpans.SelectMany(s => s.Spans))
                {
                    Spans.Enqueue(new ReceivedSpan(service, protocol, span));
                }
            }
        }

        public void Add(ExportMetricsServiceRequest request, string protocol)
        {
            foreach (var resource in request.ResourceMetrics)
            {
                var service = ServiceName(resource.Resource);
                foreach (var metric in resource.ScopeMetrics.SelectMany(s => s.Metrics))
                {
                    var points = metric.DataCase switch
                    {
                        Metric.DataOneofCase.Gauge => metric.Gauge.DataPoints.Select(p => p.Attributes),
                        Metric.DataOneofCase.Sum => metric.Sum.DataPoints.Select(p => p.Attributes),
                        Metric.DataOneofCase.Histogram => metric.Histogram.DataPoints.Select(p => p.Attributes),
                        _ => [],
                    };
                    foreach (var attributes in points)
                    {
                        Metrics.Enqueue(new ReceivedMetric(service, protocol, metric.Name, attributes.ToStrings()));
                    }
                }
            }
        }

        public void Add(ExportLogsServiceRequest request, string protocol)
        {
            foreach (var resource in request.ResourceLogs)
            {
                var service = ServiceName(resource.Resource);
                foreach (var log in resource.ScopeLogs.SelectMany(s => s.LogRecords))
                {
                    Logs.Enqueue(new ReceivedLog(service, protocol, log.TraceId.ToHex(), log.Body?.AsString() ?? "", log.Attributes.ToStrings()));
                }
            }
        }

        private static string ServiceName(Resource? resource) =>
            resource?.Attributes.FirstOrDefault(a => a.Key == "service.name")?.Value.AsString() ?? "";
    }

    private sealed class TraceExport(Received received) : TraceService.TraceServiceBase
    {
        public override Task<ExportTraceServiceResponse> Export(ExportTraceServiceRequest request, ServerCallContext context)
        {
            received.Add(request, Grpc);
            return Task.FromResult(new ExportTraceServiceResponse());
        }
    }

    private sealed class MetricsExport(Received received) : MetricsService.MetricsServiceBase
    {
        public override Task<ExportMetricsServiceResponse> Export(ExportMetricsServiceRequest request, ServerCallContext context)
        {
            received.Add(request, Grpc);
            return Task.FromResult(new ExportMetricsServiceResponse());
        }
    }

    private sealed class LogsExport(Received received) : LogsService.LogsServiceBase
    {
        public override Task<ExportLogsServiceResponse> Export(ExportLogsServiceRequest request, ServerCallContext context)
        {
            received.Add(request, Grpc);
            return Task.FromResult(new ExportLogsServiceResponse());
        }
    }
}

/// <summary>Reading OTLP values the way a backend displays them.</summary>
internal static class OtlpValues
{
    public static string ToHex(this ByteString bytes) => Convert.ToHexStringLower(bytes.Span);

    public static IReadOnlyDictionary<string, string> ToStrings(this IEnumerable<KeyValue> attributes) =>
        attributes.GroupBy(a => a.Key).ToDictionary(g => g.Key, g => g.Last().Value.AsString(), StringComparer.Ordinal);

    public static string AsString(this AnyValue? value) => value?.ValueCase switch
    {
        AnyValue.ValueOneofCase.StringValue => value.StringValue,
        AnyValue.ValueOneofCase.BoolValue => value.BoolValue ? "true" : "false",
        AnyValue.ValueOneofCase.IntValue => value.IntValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.DoubleValue => value.DoubleValue.ToString(CultureInfo.InvariantCulture),
        AnyValue.ValueOneofCase.ArrayValue => string.Join(",", value.ArrayValue.Values.Select(v => v.AsString())),
        AnyValue.ValueOneofCase.KvlistValue => string.Join(",", value.KvlistValue.Values.Select(kv => $"{kv.Key}={kv.Value.AsString()}")),
        AnyValue.ValueOneofCase.BytesValue => value.BytesValue.ToBase64(),
        _ => "",
    };
}
