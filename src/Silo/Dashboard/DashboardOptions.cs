using System.Globalization;
using Microsoft.Extensions.Options;

namespace Kernelsmith.Silo.Dashboard;

/// <summary>The web dashboard, served over HTTP/1.1 on a port of its own. Bound from the <c>Dashboard</c> section; off unless <see cref="Port"/> is set.</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>The port the dashboard listens on (environment: <c>Dashboard__Port</c>); no dashboard when unset.</summary>
    public int? Port { get; set; }

    /// <summary>The address it listens on: every interface by default; the embedded mode keeps it on loopback.</summary>
    public string Host { get; set; } = "+";

    /// <summary>
    /// A login token accepted besides the sweep API's (it signs in as an admin). An open cluster (no cluster token, no
    /// users) never serves the dashboard openly: without this set, the silo generates one and logs the login URL.
    /// </summary>
    public string? LoginToken { get; set; }

    /// <summary>Where a trace id links to: <c>{JaegerUrl}/trace/{id}</c> (e.g. <c>http://localhost:16686</c>); no link when unset.</summary>
    public string? JaegerUrl { get; set; }

    /// <summary>How often each watched sweep is read (once per silo, whatever the number of browsers watching).</summary>
    public double RefreshSeconds { get; set; } = 1;

    /// <summary>The configured port, read before the host is built (Kestrel needs it), or null; an invalid value names the setting.</summary>
    public static int? PortOf(IConfiguration configuration)
    {
        var value = configuration[$"{Section}:Port"];
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and < 65536
            ? port
            : throw new InvalidOperationException($"{Section}:Port must be a port in 1..65535 (got '{value}')");
    }
}

/// <summary>A silo refuses to start with a dashboard setting it cannot honour, naming the setting.</summary>
internal sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        var problems = new List<string>();
        if (options.RefreshSeconds is < 0.1 or > 60)
        {
            problems.Add($"{DashboardOptions.Section}:RefreshSeconds must be between 0.1 and 60 (got {options.RefreshSeconds})");
        }

        if (options.JaegerUrl is { Length: > 0 } jaeger && !Uri.TryCreate(jaeger, UriKind.Absolute, out _))
        {
            problems.Add($"{DashboardOptions.Section}:JaegerUrl must be an absolute URL such as http://localhost:16686 (got '{jaeger}')");
        }

        if (options.LoginToken is { Length: > 0 and < 16 })
        {
            problems.Add($"{DashboardOptions.Section}:LoginToken must be at least 16 characters");
        }

        return problems.Count > 0 ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }
}
