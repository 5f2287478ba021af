using System.Globalization;
using Kernelsmith.Contracts.Security;
using Kernelsmith.Contracts.Telemetry;
using Kernelsmith.ServiceDefaults.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Kernelsmith.ServiceDefaults;

/// <summary>The defaults every host adds first: OpenTelemetry tracing, metrics and logs, and health checks.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>Standard OpenTelemetry variable: when set, traces, metrics and logs are exported over OTLP.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Standard OpenTelemetry variable: when set on a silo, it serves a Prometheus scrape endpoint on this port.</summary>
    public const string PrometheusPortVariable = "OTEL_EXPORTER_PROMETHEUS_PORT";

    /// <summary>The address the Prometheus endpoint listens on (default <c>localhost</c>; <c>*</c> for every interface).</summary>
    public const string PrometheusHostVariable = "OTEL_EXPORTER_PROMETHEUS_HOST";

    /// <summary>The meter Orleans' runtime publishes its metrics on.</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>
    /// Log levels unless configured otherwise: warnings from everything, Kernelsmith's own progress (sweeps submitted,
    /// agents registered, jobs run) and the host's start-up lines. Orleans and ASP.NET Core write hundreds of
    /// information lines for a small sweep.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> DefaultLogLevels { get; } = new Dictionary<string, string?>
    {
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Kernelsmith"] = "Information",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Information",
    };

    public static TBuilder AddKernelsmithDefaults<TBuilder>(this TBuilder builder, string serviceName)
        where TBuilder : IHostApplicationBuilder
    {
        // First of the sources, so that Logging__LogLevel__* in the environment, a config file or a flag still wins.
        builder.Configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = DefaultLogLevels });
        // Log records carry the trace and span ids of the activity they were written in, so a log line leads to its trace.
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });
        // The same for JSON console logs (Logging__Console__FormatterName=json): the ids travel in the scopes.
        builder.Services.Configure<JsonConsoleFormatterOptions>(json => json.IncludeScopes = true);

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddSource(TelemetryNames.ActivitySource)
                // Calls to our grains, with the caller's trace context carried from silo to silo; Orleans' own
                // housekeeping (membership, timers, storage) is on "Microsoft.Orleans.Runtime" and stays out.
                .AddSource(OrphanGrainCallFilter.GrainCallSource)
                .AddProcessor(new OrphanGrainCallFilter())
                .AddAspNetCoreInstrumentation(aspNet => aspNet.Filter = context => !IsRoutine(context.Request.Path))
                .AddHttpClientInstrumentation(http => http.FilterHttpRequestMessage = request => !IsRoutine(request.RequestUri?.AbsolutePath))
                // The gRPC client's own span sits between the caller's and the HTTP request's: without it, the
                // dispatcher's calls to agents would hang from a span nobody exports.
                .AddGrpcClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(TelemetryNames.Meter)
                // Orleans' own: grain calls, activations, messaging, membership, storage latency.
                .AddMeter(OrleansMeter)
                .AddAspNetCoreInstrumentation()
                .AddMeter("System.Runtime"));

        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]))
        {
            telemetry.UseOtlpExporter();
        }

        // Readiness checks feed /health and the gRPC health service alike.
        builder.Services.AddGrpcHealthChecks(grpc => grpc.Services.Map("", check => check.Tags.Contains(HealthEndpoints.ReadyTag)));
        builder.Services.AddOptions<ClusterTokenOptions>().BindConfiguration(ClusterTokenOptions.Section).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ClusterTokenOptions>, OpenClusterGuard>();
        builder.Services.AddSingleton<ClusterTokenInterceptor>();
        return builder;
    }

    /// <summary>
    /// Serves the host's metrics for Prometheus at <c>http://HOST:PORT/metrics</c> when <see cref="PrometheusPortVariable"/> is set.
    /// Its own HTTP/1.1 listener: the hosts' Kestrel endpoints speak HTTP/2 only (gRPC without TLS), which scrapers do not.
    /// </summary>
    public static TBuilder AddPrometheusScrapeEndpoint<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        if (int.TryParse(builder.Configuration[PrometheusPortVariable], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            var host = builder.Configuration[PrometheusHostVariable] is { Length: > 0 } configured ? configured : "localhost";
            builder.Services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddPrometheusHttpListener(prometheus =>
            {
                prometheus.Host = host;
                prometheus.Port = port;
            }));
        }

        return builder;
    }

    /// <summary>
    /// Health probes, agent heartbeats and <c>watch</c> streams (which poll the sweep for hours): traces that would bury
    /// the experiments' traces.
    /// </summary>
    private static bool IsRoutine(PathString path) => IsRoutine(path.Value);

    private static bool IsRoutine(string? path) =>
        path is not null && (path.StartsWith("/health", StringComparison.Ordinal) || path.StartsWith("/alive", StringComparison.Ordinal)
            || path.StartsWith("/grpc.health.v1.Health/", StringComparison.Ordinal)
            || path.EndsWith("/Heartbeat", StringComparison.Ordinal) || path.EndsWith("/Watch", StringComparison.Ordinal));
}
