using System.CommandLine;
using Kernelsmith.Cli.Bench;
using Kernelsmith.Cli.Commands;
using Kernelsmith.Grains.Yaml;
using Spectre.Console;

if (Console.IsOutputRedirected && Environment.GetEnvironmentVariable("COLUMNS") is null)
{
    // Logs and CI capture output without a terminal; Spectre would otherwise wrap tables at 80 columns.
    AnsiConsole.Profile.Width = 160;
}

var kernels = new Option<string[]>("--kernels") { Description = "Kernel catalog folder(s), each a folder of kernel folders or one kernel folder; given, they replace the default: the nearest kernels/ above the sweep file, the current directory or the program (docs/kernels.md)", AllowMultipleArgumentsPerToken = true };
var root = new RootCommand("Kernelsmith: measure whether language models can port HPC codes to OpenMP, MPI and CUDA. "
    + "Results go to stdout (a table on a terminal, tab-separated in a pipe, JSON with --json), progress to stderr. " + CliOutput.ExitCodes)
{
    RunCommand.Create(kernels),
    KernelsCommand.Create(kernels),
    ReportCommand.Create(),
    ExportCommand.Create(kernels),
    HostCommands.Silo(),
    HostCommands.Agent(),
    BenchCommand.Create(),
    CalibrateCommand.Create(kernels),
    CompletionCommand.Create(),
};
foreach (var command in ClusterCommands.Create(kernels))
{
    root.Subcommands.Add(command);
}

try
{
    var parse = root.Parse(args);
    if (parse.Errors.Count > 0)
    {
        return CliOutput.UsageErrors(parse);
    }

    // The hosts (silo, agent) stop on SIGTERM through their own host, which shuts them down gracefully: a silo hands its
    // grains over and leaves the cluster at once. System.CommandLine would end the process 2 s after the signal, too
    // soon for that, and the cluster would wait for failure detection as after a kill.
    var host = parse.CommandResult.Command.Name is HostCommands.SiloVerb or HostCommands.AgentVerb;
    return await parse.InvokeAsync(new InvocationConfiguration
    {
        EnableDefaultExceptionHandler = false,
        ProcessTerminationTimeout = host ? null : TimeSpan.FromSeconds(2),
    });
}
catch (Exception e) when (e is InputFileException or UserException)
{
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
catch (OperationCanceledException)
{
    Console.Error.WriteLine("cancelled; what was recorded so far is in the results directory");
    return 130;
}
catch (Exception e)
{
    Console.Error.WriteLine($"error: {e.GetType().Name}: {e.Message}");
    return 1;
}
