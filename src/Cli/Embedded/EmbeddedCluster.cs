using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using Kernelsmith.Agents.Node.Execution;
using Kernelsmith.Agents.Node.Hosting;
using Kernelsmith.Agents.Node.Registration;
using Kernelsmith.Contracts.Security;
using Kernelsmith.ServiceDefaults;
using Kernelsmith.Cli.Commands;
using Kernelsmith.Silo.Hosting;
using Orleans.Serialization;

namespace Kernelsmith.Cli.Embedded;

/// <summary>
/// A whole cluster in one process: an Orleans silo (localhost clustering, in-memory storage) and a node
/// agent reached over real gRPC on loopback, exactly as an out-of-process agent would be.
/// </summary>
public sealed class EmbeddedCluster : IAsyncDisposable
{
    private readonly WebApplication _silo;
    private readonly WebApplication? _agent;

    private EmbeddedCluster(WebApplication silo, WebApplication? agent)
    {
        _silo = silo;
        _agent = agent;
    }


    /// <summary>The silo's gRPC address (agent registry and sweep API).</summary>
    public string SiloUrl { get; private init; } = "";

    /// <summary>The web dashboard's sign-in URL, carrying its one-time login token; null when it was not asked for.</summary>
    public string? DashboardUrl { get; private init; }

    /// <summary>The cluster's token: an agent in another process joins with <c>Cluster__Token</c> set to it.</summary>
    public string Token { get; private init; } = "";

    /// <summary>
    /// A client of this silo's sweep API, the same as <c>submit</c> and <c>watch</c> use, holding the one-time token
    /// (an admin's: it may submit a sweep the runner prepared).
    /// </summary>
    internal ClusterClient Connect() => new(SiloUrl, ClusterClient.WatchPatience, Token);

    /// <summary>A domain value as the sweep API's trusted calls carry it (Orleans' own serialization, exact on both sides).</summary>
    internal ByteString Serialize<T>(T value) => ByteString.CopyFrom(_silo.Services.GetRequiredService<Serializer>().SerializeToArray(value));

    /// <summary>The value <see cref="Serialize{T}"/> wrote.</summary>
    internal T Deserialize<T>(ByteString bytes) =>
        _silo.Services.GetRequiredService<Serializer>().Deserialize<T>(bytes.ToByteArray()) ?? throw new InvalidDataException($"the reply holds no {typeof(T).Name}");

    /// <summary>
    /// Starts the silo and, unless <paramref name="startAgent"/> is false (agents from other processes will join), the
    /// agent. <paramref name="settings"/> are configuration both hosts see on top of the environment's;
    /// <paramref name="siloServices"/> registers services in the silo before its own (a bench's job port).
    /// </summary>
    public static async Task<EmbeddedCluster> StartAsync(
        string workRoot, CancellationToken cancellationToken, bool startAgent = true, IReadOnlyDictionary<string, string?>? settings = null,
        ModelCredentials? credentials = null, Action<IServiceCollection>? siloServices = null, int? dashboardPort = null)
    {
        var siloUrl = $"http://127.0.0.1:{FreePort()}";
        var dashboard = new Dictionary<string, string?>();
        string? dashboardUrl = null;
        if (dashboardPort is { } asked)
        {
            // On loopback only, with a login token of its own, printed once (as Jupyter does): never the cluster token.
            var port = asked == 0 ? FreePort() : asked;
            var login = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
            dashboard["Dashboard:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            dashboard["Dashboard:Host"] = "127.0.0.1";
            dashboard["Dashboard:LoginToken"] = login;
            dashboardUrl = $"http://127.0.0.1:{port}/login?token={login}";
        }

        // Even in one process the agent is reached over loopback, so it and the silo still prove themselves.
        var token = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var silo = Build("kernelsmith-silo", siloUrl, settings, new Dictionary<string, string?>
        {
            [$"{ClusterTokenOptions.Section}:Token"] = token,
            [$"{SiloOptions.Section}:SiloPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            [$"{SiloOptions.Section}:GatewayPort"] = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            [$"{SiloOptions.Section}:ClusterId"] = $"embedded-{Guid.NewGuid():n}",
        }.Concat(dashboard).ToDictionary(), builder =>
        {
            siloServices?.Invoke(builder.Services);
            builder.AddKernelsmithSilo();
            // The runner's own credentials (see EmbeddedCredentials); without them, the environment's and the local default.
            builder.Services.PostConfigure<ModelCredentials>(configured =>
            {
                if (credentials is not null)
                {
                    configured.Named = credentials.Named;
                }

                configured.AddLocalOpenAiDefault();
            });
        });
        silo.MapKernelsmithSilo();
        await silo.StartAsync(cancellationToken);
        if (!startAgent)
        {
            return new EmbeddedCluster(silo, null) { SiloUrl = siloUrl, Token = token, DashboardUrl = dashboardUrl };
        }

        // A root agent runs jobs as an unprivileged user, who must pass through here to reach the job directories.
        Directory.CreateDirectory(workRoot);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(workRoot, File.GetUnixFileMode(workRoot) | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        var agent = Build("kernelsmith-agent", "http://127.0.0.1:0", settings, new()
        {
            [$"{ClusterTokenOptions.Section}:Token"] = token,
            [$"{AgentOptions.Section}:Silo"] = siloUrl,
            [$"{AgentOptions.Section}:Pool"] = "embedded",
            [$"{AgentOptions.Section}:Id"] = $"embedded-{Environment.MachineName}",
            [$"{AgentOptions.Section}:WorkRoot"] = Path.Combine(workRoot, "agent"),
            // One process, one telemetry pipeline: the silo's providers already see the agent's spans and metrics
            // (listeners are process-wide), and a second set would export all of them twice.
            ["OTEL_SDK_DISABLED"] = "true",
            // The silo serves the process's Prometheus endpoint and probes; the agent must not try the same ports.
            [ServiceDefaultsExtensions.PrometheusPortVariable] = null,
            [HealthEndpoints.PortKey] = null,
        }, builder => builder.AddNodeAgent());
        agent.MapNodeAgent();

        await agent.StartAsync(cancellationToken);
        var cluster = new EmbeddedCluster(silo, agent) { SiloUrl = siloUrl, Token = token, DashboardUrl = dashboardUrl };
        try
        {
            await agent.Services.GetRequiredService<AgentRegistrationService>().Registered.Task
                .WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
        }
        catch (TimeoutException)
        {
            await cluster.DisposeAsync();
            throw new InvalidOperationException("the embedded agent did not register with the embedded silo within 30 s");
        }

        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        if (_agent is not null)
        {
            await _agent.StopAsync();
        }

        await _silo.StopAsync();
        if (_agent is not null)
        {
            await _agent.DisposeAsync();
        }

        await _silo.DisposeAsync();
    }

    private static WebApplication Build(
        string service, string url, IReadOnlyDictionary<string, string?>? common, Dictionary<string, string?> settings, Action<WebApplicationBuilder> configure)
    {
        // Configured by the command's flags alone: no appsettings from the working directory, and no file watcher on it
        // (a watcher on the content root watches every folder under it: thousands of inotify watches from a home folder).
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ApplicationName = service,
            ContentRootPath = AppContext.BaseDirectory,
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
        });
        builder.WebHost.UseUrls(url);
        builder.Configuration.AddInMemoryCollection(common ?? new Dictionary<string, string?>());
        builder.Configuration.AddInMemoryCollection(settings);
        // The terminal belongs to the progress display; logs go to OpenTelemetry when it is configured.
        builder.Logging.ClearProviders();
        builder.AddKernelsmithDefaults(service);
        configure(builder);
        return builder.Build();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
