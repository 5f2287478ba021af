using System.CommandLine;
using Kernelsmith.Agents.Node.Execution;
using Kernelsmith.Agents.Node.Hosting;
using Kernelsmith.Contracts.Security;
using Kernelsmith.ServiceDefaults;
using Kernelsmith.Silo.Hosting;

namespace Kernelsmith.Cli.Commands;

/// <summary><c>kernelsmith silo</c> and <c>kernelsmith agent</c>: the two hosts, run from the one command.</summary>
internal static class HostCommands
{
    public const string SiloVerb = "silo";
    public const string AgentVerb = "agent";

    public static Command Silo()
    {
        var listen = new Option<string>("--listen") { Description = "gRPC address the silo serves agents and clients on", DefaultValueFactory = _ => "http://127.0.0.1:5070" };
        var redis = new Option<string?>("--redis") { Description = "Redis connection string: join a Redis-backed cluster (default: a single in-memory silo)" };
        var siloPort = new Option<int>("--silo-port") { Description = "Orleans silo-to-silo port", DefaultValueFactory = _ => 11111 };
        var gatewayPort = new Option<int>("--gateway-port") { Description = "Orleans gateway port", DefaultValueFactory = _ => 30000 };
        var clusterId = new Option<string>("--cluster-id") { Description = "Cluster id shared by the silos of one cluster", DefaultValueFactory = _ => "kernelsmith" };
        var tokenFile = TokenFileOption();
        var command = new Command(SiloVerb, "Run a silo") { listen, redis, siloPort, gatewayPort, clusterId, tokenFile };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = WebApplication.CreateBuilder();
            builder.WebHost.UseUrls(parse.GetValue(listen)!);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"{SiloOptions.Section}:Redis"] = parse.GetValue(redis),
                [$"{SiloOptions.Section}:SiloPort"] = parse.GetValue(siloPort).ToString(System.Globalization.CultureInfo.InvariantCulture),
                [$"{SiloOptions.Section}:GatewayPort"] = parse.GetValue(gatewayPort).ToString(System.Globalization.CultureInfo.InvariantCulture),
                [$"{SiloOptions.Section}:ClusterId"] = parse.GetValue(clusterId),
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

    /// <summary>Silos and agents share a secret; without one (and without Cluster__Token) the cluster is open.</summary>
    private static Option<string?> TokenFileOption() =>
        new("--token-file") { Description = "File holding the token silos and agents share (or set Cluster__Token)" };

    public static Command Agent()
    {
        var silo = new Option<string>("--silo") { Description = "The silo's gRPC URL, or several separated by commas: the next is used while one is down", Required = true };
        var pool = new Option<string>("--pool") { Description = "The pool this agent serves", DefaultValueFactory = _ => "default" };
        var listen = new Option<string>("--listen") { Description = "gRPC address the agent listens on", DefaultValueFactory = _ => "http://127.0.0.1:0" };
        var id = new Option<string?>("--id") { Description = "Agent id (default: host name and a random suffix)" };
        var technologies = new Option<string[]>("--technologies")
        {
            Description = "Offer only these of the detected technologies, e.g. mpi to keep an MPI node for MPI work (default: all detected)",
            AllowMultipleArgumentsPerToken = true,
        };
        var tokenFile = TokenFileOption();
        var slurm = new Option<string?>("--slurm") { Description = "On a Slurm login node: run jobs on the cluster with srun or sbatch (more under Agent__Slurm__*)" };
        slurm.AcceptOnlyFromAmong(SlurmLauncher.Srun, SlurmLauncher.Sbatch);
        var partition = new Option<string?>("--partition") { Description = "The Slurm partition jobs go to (with --slurm)" };
        var account = new Option<string?>("--account") { Description = "The Slurm account jobs are charged to (with --slurm)" };
        var command = new Command(AgentVerb, "Run a node agent") { silo, pool, listen, id, technologies, tokenFile, slurm, partition, account };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = WebApplication.CreateBuilder();
            builder.WebHost.UseUrls(parse.GetValue(listen)!);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"{AgentOptions.Section}:Silo"] = parse.GetValue(silo),
                [$"{AgentOptions.Section}:Pool"] = parse.GetValue(pool),
                [$"{AgentOptions.Section}:Id"] = parse.GetValue(id),
                [$"{ClusterTokenOptions.Section}:TokenFile"] = parse.GetValue(tokenFile),
            });
            var offered = (parse.GetValue(technologies) ?? []).SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            builder.Configuration.AddInMemoryCollection(offered.Select((technology, i) =>
                KeyValuePair.Create($"{AgentOptions.Section}:{nameof(AgentOptions.Technologies)}:{i}", (string?)technology)));
            // Given only when set: Agent__Slurm__* in the environment or appsettings may carry them instead.
            var slurmSettings = new Dictionary<string, string?>
            {
                [$"{AgentOptions.Section}:Slurm:Submit"] = parse.GetValue(slurm),
                [$"{AgentOptions.Section}:Slurm:Partition"] = parse.GetValue(partition),
                [$"{AgentOptions.Section}:Slurm:Account"] = parse.GetValue(account),
            };
            builder.Configuration.AddInMemoryCollection(slurmSettings.Where(setting => setting.Value is not null));
            builder.AddKernelsmithDefaults("kernelsmith-agent");
            builder.AddNodeAgent();
            var app = builder.Build();
            app.MapNodeAgent();
            await app.RunAsync();
            return 0;
        });
        return command;
    }
}
