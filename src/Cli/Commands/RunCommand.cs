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
        var command = new Command("run", "Run a sweep embedded: an in-process silo and a local agent over gRPC") { spec, output, kernels, prompts, config };
        command.SetAction((parse, cancellationToken) =>
            RunAsync(parse.GetValue(spec)!, parse.GetValue(output), parse.GetValue(kernels), cancellationToken, parse.GetValue(prompts), parse.GetValue(config)));
        return command;
    }

    public static async Task<int> RunAsync(
        FileInfo specFile, DirectoryInfo? output, string[]? kernelDirectories, CancellationToken cancellationToken, string[]? promptDirectories = null,
        FileInfo? config = null)
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
        AnsiConsole.Write(ResultsTable(records));
        AnsiConsole.MarkupLine($"Results: [bold]{Markup.Escape(results.Path)}[/] ({ResultsDirectory.JsonLines}, {ResultsDirectory.Csv}, {SweepReport.Markdown}, {SweepReport.Html})");
        return 0;
    }

    public static Table ResultsTable(IReadOnlyList<ExperimentRecord> records)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("kernel", "model", "technology", "sample", "verdict", "rounds", "best speedup", "at");
        foreach (var r in records.OrderBy(r => r.Kernel, StringComparer.Ordinal).ThenBy(r => r.Model, StringComparer.Ordinal).ThenBy(r => r.Technology, StringComparer.Ordinal).ThenBy(r => r.Sample))
        {
            var colour = r.Verdict switch { Verdict.Correct => "green", Verdict.InfraError => "grey", Verdict.NotParallel => "yellow", _ => "red" };
            table.AddRow(
                Markup.Escape(r.Kernel),
                Markup.Escape(r.Model),
                r.Technology,
                r.Sample.ToString(CultureInfo.InvariantCulture),
                $"[{colour}]{r.Verdict.ToWireName()}[/]",
                r.Rounds.ToString(CultureInfo.InvariantCulture),
                SpeedupCell(r),
                r.BestThreads is { } n ? $"{n} {(r.Technology == Technologies.Mpi ? "rank" : "thread")}{(n == 1 ? "" : "s")}" : "-");
        }

        return table;
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
            // Escaped: the table reads its cells as markup, where [ opens a style.
            text += Markup.Escape($" [{low.ToString("F2", CultureInfo.InvariantCulture)}, {high.ToString("F2", CultureInfo.InvariantCulture)}]");
        }

        return text + (r.Noisy ? " [yellow]noisy[/]" : "") + (r.Superlinear ? " [yellow]superlinear[/]" : "");
    }
}
