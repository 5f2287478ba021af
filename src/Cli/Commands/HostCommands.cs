using System.CommandLine;
using Kernelsmith.Agents.Node.Hosting;
using Kernelsmith.ServiceDefaults;
using Kernelsmith.Silo.Hosting;

namespace Kernelsmith.Cli.Commands;

/// <summary><c>kernelsmith silo</c> and <c>kernelsmith agent</c>: the two hosts, run from the one command.</summary>
internal static class HostCommands
{
    public static Command Silo()
    {
        var listen = new Option<string>("--listen") { Description = "gRPC address the silo serves agents and clients on", DefaultValueFactory = _ => "http://127.0.0.1:5070" };
        var command = new Command("silo", "Run a silo") { listen };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = WebApplication.CreateBuilder();
            builder.WebHost.UseUrls(parse.GetValue(listen)!);
            builder.AddKernelsmithDefaults("kernelsmith-silo");
            builder.AddKernelsmithSilo();
            var app = builder.Build();
            app.MapKernelsmithSilo();
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    public static Command Agent()
    {
        var silo = new Option<string>("--silo") { Description = "The silo's gRPC URL", Required = true };
        var pool = new Option<string>("--pool") { Description = "The pool this agent serves", DefaultValueFactory = _ => "default" };
        var listen = new Option<string>("--listen") { Description = "gRPC address the agent listens on", DefaultValueFactory = _ => "http://127.0.0.1:0" };
        var id = new Option<string?>("--id") { Description = "Agent id (default: host name and a random suffix)" };
        var command = new Command("agent", "Run a node agent") { silo, pool, listen, id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var builder = WebApplication.CreateBuilder();
            builder.WebHost.UseUrls(parse.GetValue(listen)!);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                [$"{AgentOptions.Section}:Silo"] = parse.GetValue(silo),
                [$"{AgentOptions.Section}:Pool"] = parse.GetValue(pool),
                [$"{AgentOptions.Section}:Id"] = parse.GetValue(id),
            });
            builder.AddKernelsmithDefaults("kernelsmith-agent");
            builder.AddNodeAgent();
            var app = builder.Build();
            app.MapNodeAgent();
            await app.RunAsync(cancellationToken);
            return 0;
        });
        return command;
    }
}
