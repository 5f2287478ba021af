using System.CommandLine;
using System.Globalization;
using Kernelsmith.Cli.Embedded;
using Kernelsmith.Cli.Reports;
using Kernelsmith.Cli.Results;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Llm;
using Kernelsmith.Grains.Sweeps;
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
        var command = new Command("run", "Run a sweep embedded: an in-process silo and a local agent over gRPC; progress on stderr, the results on stdout") { spec, output, kernels, prompts, config, json };
        command.SetAction((parse, cancellationToken) =>
            RunAsync(parse.GetValue(spec)!, parse.GetValue(output), parse.GetValue(kernels), cancellationToken, parse.GetValue(prompts), parse.GetValue(config), parse.GetValue(json)));
        return command;
    }

    public static async Task<int> RunAsync(
        FileInfo specFile, DirectoryInfo? output, string[]? kernelDirectories, CancellationToken cancellationToken, string[]? promptDirectories = null,
        FileInfo? config = null, bool json = false)
    {
        var catalog = KernelCatalog.Load(CatalogDirectories.Resolve(kernelDirectories, specFile.FullName));
        var prompts = PromptLibrary.Load(CatalogDirectories.Resolve(promptDirectories, specFile.FullName, CatalogDirectories.Prompts));
        var credentials = EmbeddedCredentials.Load(config);
        var spec = SweepSpecLoader.Load(specFile.FullName, catalog, prompts, credentials);
        var results = new ResultsDirectory(output?.FullName ?? Path.Combine("out", spec.Name));
        // An empty results file holds nothing to protect; a link counts by what it points to (the tests link /dev/full to
        // stand for a full disk).
        var existing = new FileInfo(Path.Combine(results.Path, ResultsDirectory.JsonLines));
        var target = existing.LinkTarget is null ? existing : existing.ResolveLinkTarget(returnFinalTarget: true);
        if (target is FileInfo { Exists: true, Length: > 0 })
        {
            throw new UserException($"{results.Path} already holds results ({ResultsDirectory.JsonLines}); choose another --out so nothing recorded is overwritten");
        }

        var kernels = spec.Kernels.Select(id => catalog.TryGet(id, out var k) ? k : throw new UserException($"unknown kernel '{id}'")).ToList();
        var records = await SweepRunner.RunAsync(spec, kernels, results, cancellationToken, credentials);
        WriteResults(records, json);
        CliOutput.Progress.MarkupLine($"Results: [bold]{Markup.Escape(results.Path)}[/] ({ResultsDirectory.JsonLines}, {ResultsDirectory.Csv}, {SweepReport.Markdown}, {SweepReport.Html})");
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
