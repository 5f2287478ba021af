using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Kernelsmith.ServiceDefaults;

/// <summary>
/// The hosts' endpoints: gRPC over cleartext HTTP/2 on the host's URLs, and the health probes over HTTP/1.1 on a port
/// of their own (<c>Health:Port</c>), since Kubernetes' HTTP probes and <c>curl</c> speak HTTP/1.1 and a cleartext
/// HTTP/2 endpoint answers them with 400. Both also serve the standard gRPC health service.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>The port of the HTTP/1.1 health listener (environment: <c>Health__Port</c>); none when unset.</summary>
    public const string PortKey = "Health:Port";

    /// <summary>Tag of the checks readiness runs (<c>/health</c>, the gRPC health service); liveness (<c>/alive</c>) runs none.</summary>
    public const string ReadyTag = "ready";

    public const string ReadinessPath = "/health";

    public const string LivenessPath = "/alive";

    /// <summary>
    /// Serves the host's URLs as HTTP/2 only (gRPC without TLS) and, when <see cref="PortKey"/> is set, adds an
    /// HTTP/1.1 listener on that port on every interface, for probes. Call after the URLs are set. The URLs on
    /// <paramref name="http1Ports"/> (a web page's, e.g. the silo's dashboard) are served as HTTP/1.1 too.
    /// </summary>
    public static TBuilder AddGrpcAndHealthEndpoints<TBuilder>(this TBuilder builder, params int[] http1Ports)
        where TBuilder : IHostApplicationBuilder
    {
        var healthPort = HealthPort(builder.Configuration);
        if (healthPort is { } port)
        {
            builder.Configuration[WebHostDefaults.ServerUrlsKey] = string.Join(';', HostUrls(builder.Configuration).Append($"http://+:{port}"));
        }

        builder.Services.Configure<KestrelServerOptions>(kestrel => kestrel.ConfigureEndpointDefaults(endpoint =>
            endpoint.Protocols = endpoint.IPEndPoint?.Port is { } listening && (listening == healthPort || http1Ports.Contains(listening))
                ? HttpProtocols.Http1
                : HttpProtocols.Http2));
        builder.Services.AddGrpc();
        return builder;
    }

    /// <summary>The configured health port, or null; an invalid value is an error naming the setting.</summary>
    public static int? HealthPort(IConfiguration configuration)
    {
        var value = configuration[PortKey];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw new InvalidOperationException($"{PortKey} must be a port in 1..65535 (got '{value}')");
    }

    /// <summary>Maps <c>/health</c> (readiness: the checks tagged <see cref="ReadyTag"/>), <c>/alive</c> (the process serves) and the gRPC health service.</summary>
    public static WebApplication MapKernelsmithHealth(this WebApplication app)
    {
        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions { Predicate = check => check.Tags.Contains(ReadyTag) });
        app.MapHealthChecks(LivenessPath, new HealthCheckOptions { Predicate = _ => false });
        app.MapGrpcHealthChecksService();
        return app;
    }

    /// <summary>The URLs the host serves gRPC on: <c>urls</c> (<c>--listen</c>, <c>ASPNETCORE_URLS</c>), else <c>http_ports</c>, else Kestrel's default.</summary>
    public static IEnumerable<string> HostUrls(IConfiguration configuration)
    {
        if (configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } urls)
        {
            return urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        }

        if (configuration["http_ports"] is { Length: > 0 } ports)
        {
            return ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(port => $"http://+:{port}");
        }

        return ["http://localhost:5000"];
    }
}
