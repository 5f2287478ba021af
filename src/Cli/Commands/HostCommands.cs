using System.CommandLine;
using System.Globalization;
using Kernelsmith.Agents.Node.Jobs;
using Kernelsmith.Agents.Node.Hosting;
using Kernelsmith.Contracts.Security;
using Kernelsmith.ServiceDefaults;
using Kernelsmith.Silo.Hosting;

namespace Kernelsmith.Cli.Commands;

/// <summary>
/// <c>kernelsmith silo</c> and <c>kernelsmith agent</c>: the two hosts, run from the one command. Every flag has a
/// setting behind it (environment <c>Silo__ClusterId</c>, <c>Agent__Pool</c>, …, or appsettings): a flag given wins,
/// a flag left out leaves the setting alone, and the options types hold the defaults.
/// </summary>
internal static class HostCommands
{
    private const string DefaultSiloListen = "http://127.0.0.1:5070";
    private const string DefaultAgentListen = "http://127.0.0.1:0";
    public const string SiloVerb = "silo";
    public const string AgentVerb = "agent";

    public static Command Silo()
    {
        var listen = new Option<string?>("--listen") { Description = $"gRPC address the silo serves agents and clients on (or ASPNETCORE_URLS; default {DefaultSiloListen})" };
        var redis = new Option<string?>("--redis") { Description = "Redis connection string: join a Redis-backed cluster (or Silo__Redis; default: a single in-memory silo)" };
        var siloPort = new Option<int?>("--silo-port") { Description = "Orleans silo-to-silo port (or Silo__SiloPort; default 11111)" };
        var gatewayPort = new Option<int?>("--gateway-port") { Description = "Orleans gateway port (or Silo__GatewayPort; default 30000)" };
        var clusterId = new Option<string?>("--cluster-id") { Description = "Cluster id shared by the silos of one cluster (or Silo__ClusterId; default kernelsmith)" };
        var healthPort = HealthPortOption();
        var tokenFile = TokenFileOption();
        var config = ConfigOption();
        var command = new Command(SiloVerb, "Run a silo") { listen, redis, siloPort, gatewayPort, clusterId, healthPort, tokenFile, config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = HostBuilder(parse.GetValue(listen), DefaultSiloListen, parse.GetValue(config), new()
            {
                [$"{SiloOptions.Section}:Redis"] = parse.GetValue(redis),
                [$"{SiloOptions.Section}:SiloPort"] = Text(parse.GetValue(siloPort)),
                [$"{SiloOptions.Section}:GatewayPort"] = Text(parse.GetValue(gatewayPort)),
                [$"{SiloOptions.Section}:ClusterId"] = parse.GetValue(clusterId),
                [HealthEndpoints.PortKey] = Text(parse.GetValue(healthPort)),
                [$"{ClusterTokenOptions.Section}:TokenFile"] = parse.GetValue(tokenFile),
            });
            builder.AddKernelsmithDefaults("kernelsmith-silo");
            builder.AddKernelsmithSilo();
            var app = builder.Build();
            app.MapKernelsmithSilo();
            // The host itself stops on SIGTERM or Ctrl+C, gracefully (see Program.cs).
            await app.RunAsync();
            return 0;
        });
        return command;
    }

    public static Command Agent()
    {
        // --cluster is the word every client command uses for the same address; --silo stays for existing deployments.
        var silo = new Option<string?>("--silo", "--cluster") { Description = "The silo's gRPC URL, or several separated by commas: the next is used while one is down (or Agent__Silo)" };
        var pool = new Option<string?>("--pool") { Description = "The pool this agent serves (or Agent__Pool; default: default)" };
        var listen = new Option<string?>("--listen") { Description = $"gRPC address the agent listens on (or ASPNETCORE_URLS; default {DefaultAgentListen})" };
        var id = new Option<string?>("--id") { Description = "Agent id (or Agent__Id; default: host name and a random suffix)" };
        var technologies = new Option<string[]>("--technologies")
        {
            Description = "Offer only these of the detected technologies, e.g. mpi to keep an MPI node for MPI work (or Agent__Technologies__0, …; default: all detected)",
            AllowMultipleArgumentsPerToken = true,
        };
        var healthPort = HealthPortOption();
        var tokenFile = TokenFileOption();
        var slurm = new Option<string?>("--slurm") { Description = "On a Slurm login node: run jobs on the cluster with srun or sbatch (or Agent__Slurm__Submit; more under Agent__Slurm__*)" };
        slurm.AcceptOnlyFromAmong(SlurmLauncher.Srun, SlurmLauncher.Sbatch);
        var partition = new Option<string?>("--partition") { Description = "The Slurm partition jobs go to (with --slurm; or Agent__Slurm__Partition)" };
        var account = new Option<string?>("--account") { Description = "The Slurm account jobs are charged to (with --slurm; or Agent__Slurm__Account)" };
        var command = new Command(AgentVerb, "Run a node agent") { silo, pool, listen, id, technologies, healthPort, tokenFile, slurm, partition, account };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var settings = new Dictionary<string, string?>
            {
                [$"{AgentOptions.Section}:Silo"] = parse.GetValue(silo),
                [$"{AgentOptions.Section}:Pool"] = parse.GetValue(pool),
                [$"{AgentOptions.Section}:Id"] = parse.GetValue(id),
                [HealthEndpoints.PortKey] = Text(parse.GetValue(healthPort)),
                [$"{ClusterTokenOptions.Section}:TokenFile"] = parse.GetValue(tokenFile),
                [$"{AgentOptions.Section}:Slurm:Submit"] = parse.GetValue(slurm),
                [$"{AgentOptions.Section}:Slurm:Partition"] = parse.GetValue(partition),
                [$"{AgentOptions.Section}:Slurm:Account"] = parse.GetValue(account),
            };
            var offered = (parse.GetValue(technologies) ?? []).SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            for (var i = 0; i < offered.Count; i++)
            {
                settings[$"{AgentOptions.Section}:{nameof(AgentOptions.Technologies)}:{i}"] = offered[i];
            }

            var builder = HostBuilder(parse.GetValue(listen), DefaultAgentListen, null, settings);
            builder.AddKernelsmithDefaults("kernelsmith-agent");
            builder.AddNodeAgent();
            var app = builder.Build();
            app.MapNodeAgent();
            await app.RunAsync();
            return 0;
        });
        return command;
    }

    /// <summary>
    /// A host builder whose configuration is appsettings and environment as usual, with only the flags that were given
    /// laid over it. The listen address: the flag, else ASPNETCORE_URLS (or ASPNETCORE_HTTP_PORTS), else the default.
    /// </summary>
    private static WebApplicationBuilder HostBuilder(string? listen, string defaultListen, FileInfo? configFile, Dictionary<string, string?> flags)
    {
        var builder = WebApplication.CreateBuilder();
        if (listen is not null || (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"])))
        {
            builder.WebHost.UseUrls(listen ?? defaultListen);
        }

        if (configFile is not null)
        {
            builder.Configuration.AddJsonFile(configFile.FullName, optional: false);
        }

        builder.Configuration.AddInMemoryCollection(flags.Where(flag => flag.Value is not null));
        return builder;
    }

    private static string? Text(int? value) => value?.ToString(CultureInfo.InvariantCulture);

    private static Option<int?> HealthPortOption() =>
        new("--health-port") { Description = "Serve /health (ready) and /alive over HTTP/1.1 on this port, for probes (or Health__Port; default: none)" };

    /// <summary>Silos and agents share a secret; without one (and without Cluster__Token) the cluster is open.</summary>
    /// <summary>The operator's settings that do not fit on a command line: users and their tokens, model credentials.</summary>
    internal static Option<FileInfo?> ConfigOption() =>
        new("--config") { Description = "JSON configuration file: Cluster:Users (API users and their tokens), Credentials (model API keys bound to endpoints); see docs/security.md" };

    private static Option<string?> TokenFileOption() =>
        new("--token-file") { Description = "File holding the token silos and agents share (or set Cluster__Token)" };
}
