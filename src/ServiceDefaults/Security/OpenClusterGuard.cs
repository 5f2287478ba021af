using System.Net;
using Kernelsmith.Contracts.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace Kernelsmith.ServiceDefaults.Security;

/// <summary>
/// A silo or agent without a cluster token is open: anyone who reaches its gRPC port may submit sweeps, register an
/// agent or hand an agent a program to run. It starts so only where nobody else can reach it (every address it serves
/// gRPC on is loopback) or where the operator said so (<see cref="ClusterTokenOptions.AllowOpen"/>); anywhere else it
/// refuses to start, naming the address and the two ways out. The HTTP/1.1 health port serves probes, not the API.
/// </summary>
public sealed class OpenClusterGuard(IConfiguration configuration) : IValidateOptions<ClusterTokenOptions>
{
    public ValidateOptionsResult Validate(string? name, ClusterTokenOptions options)
    {
        string? token;
        try
        {
            token = options.Resolve();
        }
        catch (InvalidOperationException e)
        {
            return ValidateOptionsResult.Fail(e.Message);
        }

        if (token is not null || options.AllowOpen)
        {
            return ValidateOptionsResult.Success;
        }

        var probes = HealthEndpoints.HealthPort(configuration);
        var exposed = HealthEndpoints.HostUrls(configuration).Where(url => !IsLoopback(url, probes)).ToList();
        return exposed.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"no cluster token, yet serving on {string.Join(", ", exposed)}: anyone who reaches it could submit sweeps, register agents " +
                $"and run programs. Give a token (--token-file FILE, or {ClusterTokenOptions.Section}__Token), listen on loopback only, " +
                $"or set {ClusterTokenOptions.Section}__{nameof(ClusterTokenOptions.AllowOpen)}=true on a network you trust (docs/security.md)");
    }

    /// <summary>Whether a URL Kestrel listens on is reachable from this machine only (or is the probes' HTTP/1.1 port).</summary>
    public static bool IsLoopback(string url, int? probePort = null)
    {
        // Kestrel's wildcards (+, *) are not valid URI hosts: read them as "every interface".
        var uri = Uri.TryCreate(url.Replace("://+", "://0.0.0.0", StringComparison.Ordinal).Replace("://*", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var parsed) ? parsed : null;
        if (uri is null)
        {
            return false;
        }

        if (probePort is { } port && uri.Port == port)
        {
            return true;
        }

        return uri.IsLoopback || (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
    }
}
