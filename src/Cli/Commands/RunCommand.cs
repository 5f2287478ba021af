using System.CommandLine;
using System.Globalization;
using Kernelsmith.Cli.Embedded;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Llm;
using Kernelsmith.Grains.Sweeps;
using Kernelsmith.Results;
using Kernelsmith.Results.Reports;
using Spectre.Console;

namespace Kernelsmith.Cli.Commands;

/// <summary><c>kernelsmith run SWEEP.yaml [--out DIR]</c>: a whole sweep in one process, results written as they come.</summary>
internal static class RunCommand
{
    public static Command Create(Option<string[]> kernels)
    {
        var spec = new Argument<FileInfo>("sweep") { Description = "The sweep spec (YAML)" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Results directory (default: out/<sweep name>)" };
        var prompts = new Option<string[]>("--prompts") { Description = "Prompt template folder(s) (default: the nearest prompts/)", AllowMultipleArgumentsPerToken = true };
        var config = HostCommands.ConfigOption();
        var json = CliOutput.JsonOption();
        var resume = new Option<bool>("--resume")
        {
            Description = "Continue an interrupted run in --out: its records are kept and only the missing experiments run (the same spec and kernels only)",
        };
        var dashboard = new Option<bool>("--dashboard")
        {
            Description = "Serve the web dashboard on loopback while the sweep runs (its sign-in URL, with a token made for this run, is printed) and after it, until Ctrl-C",
        };
        var dashboardPort = new Option<int>("--dashboard-port") { Description = "The dashboard's port (default: any free one)", DefaultValueFactory = _ => 0 };
        dashboardPort.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 65535)
            {
                result.AddError("--dashboard-port must be a port in 1..65535 (or 0 for any free one)");
            }
        });
        var command = new Command("run", "Run a sweep embedded: an in-process silo and a local agent over gRPC; progress on stderr, the results on stdout")
        {
            spec, output, kernels, prompts, config, json, resume, dashboard, dashboardPort,
        };
        command.SetAction((parse, cancellationToken) =>
            RunAsync(parse.GetValue(spec)!, parse.GetValue(output), parse.GetValue(kernels), cancellationToken, parse.GetValue(prompts), parse.GetValue(config),
                parse.GetValue(json), parse.GetValue(resume), parse.GetValue(dashboard) ? new EmbeddedDashboard(parse.GetValue(dashboardPort)) : null));
        return command;
    }

    public static async Task<int> RunAsync(
        FileInfo specFile, DirectoryInfo? output, string[]? kernelDirectories, CancellationToken cancellationToken, string[]? promptDirectories = null,
        FileInfo? config = null, bool json = false, bool resume = false, EmbeddedDashboard? dashboard = null)
    {
        var catalog = KernelCatalog.Load(CatalogDirectories.Resolve(kernelDirectories, specFile.FullName));
        var prompts = PromptLibrary.Load(CatalogDirectories.Resolve(promptDirectories, specFile.FullName, CatalogDirectories.Prompts));
        var credentials = EmbeddedCredentials.Load(config);
        var spec = SweepSpecLoader.Load(specFile.FullName, catalog, prompts, credentials);
        var kernels = spec.Kernels.Select(id => catalog.TryGet(id, out var k) ? k : throw new UserException($"unknown kernel '{id}'")).ToList();
        var (results, kept) = RunOutput.Open(output?.FullName ?? Path.Combine("out", spec.Name), SweepIds.For(spec, kernels), resume);
        // Ctrl-C (or SIGTERM) keeps every record written so far: say at once how to run only the rest.
        await using var interrupted = cancellationToken.Register(() => Console.Error.WriteLine(
            $"interrupted: the records so far are kept in {results.Path}; to run only the missing experiments: kernelsmith run {specFile.FullName} --out {results.Path} --resume"));
        var records = await SweepRunner.RunAsync(spec, kernels, results, cancellationToken, credentials, kept, dashboard: dashboard);
        WriteResults(records, json);
        CliOutput.Progress.MarkupLine($"Results: [bold]{Markup.Escape(results.Path)}[/] ({ResultsDirectory.JsonLines}, {ResultsDirectory.Csv}, {SweepReport.Markdown}, {SweepReport.Html})");
        if (records.Count > 0 && records.All(r => r.Verdict == Verdict.InfraError))
        {
            // Nothing was measured: a script must not take this run for a result.
            Console.Error.WriteLine($"error: all {records.Count} experiment(s) ended as {Verdict.InfraError.ToWireName()}: the system failed, not the models (first reason: {records[0].Reason})");
            return 1;
        }

        return 0;
    }

    /// <summary>
    /// The records on stdout: JSON lines as in results.jsonl with <c>--json</c>, else a table (tab-separated in a pipe) of
    /// verdicts and best speedups with their intervals.
    /// </summary>
    public static void WriteResults(IReadOnlyList<ExperimentRecord> records, bool json)
    {
        var ordered = records.OrderBy(r => r.Kernel, StringComparer.Ordinal).ThenBy(r => r.Model, StringComparer.Ordinal)
            .ThenBy(r => r.Technology, StringComparer.Ordinal).ThenBy(r => r.Sample).ToList();
        if (json)
        {
            foreach (var record in ordered)
            {
                CliOutput.WriteJson(record, ResultsDirectory.Json);
            }

            return;
        }

        const int verdictColumn = 4;
        CliOutput.WriteTable(
            ["kernel", "model", "technology", "sample", "verdict", "rounds", "best speedup", "at"],
            ordered.Select(r => (IReadOnlyList<string>)
            [
                r.Kernel,
                r.Model,
                r.Technology,
                r.Sample.ToString(CultureInfo.InvariantCulture),
                r.Verdict.ToWireName(),
                r.Rounds.ToString(CultureInfo.InvariantCulture),
                SpeedupCell(r),
                r.BestThreads is { } n ? $"{n} {(r.Technology == Technologies.Mpi ? "rank" : "thread")}{(n == 1 ? "" : "s")}" : "-",
            ]),
            (column, cell) => column != verdictColumn ? null : cell switch
            {
                "correct" => "green",
                "infra_error" => "grey",
                "not_parallel" => "yellow",
                _ => "red",
            });
    }

    /// <summary>The best speedup with its 95 % interval, and what makes it less than it seems: noise, superlinearity.</summary>
    private static string SpeedupCell(ExperimentRecord r)
    {
        if (r.Speedup is not { } speedup)
        {
            return "-";
        }

        var text = speedup.ToString("F2", CultureInfo.InvariantCulture);
        if (r.SpeedupCi is [var low, var high])
        {
            text += $" [{low.ToString("F2", CultureInfo.InvariantCulture)}, {high.ToString("F2", CultureInfo.InvariantCulture)}]";
        }

        return text + (r.Noisy ? " noisy" : "") + (r.Superlinear ? " superlinear" : "");
    }
}
