using Kernelsmith.Contracts.Security;
using Kernelsmith.Contracts.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
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

    public static TBuilder AddKernelsmithDefaults<TBuilder>(this TBuilder builder, string serviceName)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Logging.AddOpenTelemetry(logging =>
        {
            logging.IncludeFormattedMessage = true;
            logging.IncludeScopes = true;
        });

        var telemetry = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddSource(TelemetryNames.ActivitySource)
                .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application")
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation())
            .WithMetrics(metrics => metrics
                .AddMeter(TelemetryNames.Meter)
                .AddAspNetCoreInstrumentation()
                .AddRuntimeInstrumentationIfPresent());

        if (!string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]))
        {
            telemetry.UseOtlpExporter();
        }

        builder.Services.AddHealthChecks();
        builder.Services.AddOptions<ClusterTokenOptions>().BindConfiguration(ClusterTokenOptions.Section);
        builder.Services.AddSingleton<ClusterTokenInterceptor>();
        return builder;
    }

    /// <summary>Maps <c>/health</c> (ready) and <c>/alive</c> (process up).</summary>
    public static WebApplication MapKernelsmithHealth(this WebApplication app)
    {
        app.MapHealthChecks("/health");
        app.MapHealthChecks("/alive", new HealthCheckOptions { Predicate = _ => false });
        return app;
    }

    private static MeterProviderBuilder AddRuntimeInstrumentationIfPresent(this MeterProviderBuilder metrics) =>
        metrics.AddMeter("System.Runtime");
}
