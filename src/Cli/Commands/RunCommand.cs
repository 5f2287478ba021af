using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kernelsmith.Cli.Embedded;
using Kernelsmith.Cli.Results;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Sweeps;
using Spectre.Console;

namespace Kernelsmith.Cli.Commands;

/// <summary><c>kernelsmith run SWEEP.yaml [--out DIR]</c>: a whole sweep in one process, results written as they come.</summary>
internal static class RunCommand
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(300);

    public static Command Create(Option<string[]> kernels)
    {
        var spec = new Argument<FileInfo>("sweep") { Description = "The sweep spec (YAML)" };
        var output = new Option<DirectoryInfo?>("--out") { Description = "Results directory (default: out/<sweep name>)" };
        var command = new Command("run", "Run a sweep embedded: an in-process silo and a local agent over gRPC") { spec, output, kernels };
        command.SetAction((parse, cancellationToken) =>
            RunAsync(parse.GetValue(spec)!, parse.GetValue(output), parse.GetValue(kernels), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(FileInfo specFile, DirectoryInfo? output, string[]? kernelDirectories, CancellationToken cancellationToken)
    {
        var catalog = KernelCatalog.Load(KernelDirectories.Resolve(kernelDirectories, specFile.FullName));
        var spec = SweepSpecLoader.Load(specFile.FullName, catalog);
        var results = new ResultsDirectory(output?.FullName ?? Path.Combine("out", spec.Name));
        if (File.Exists(Path.Combine(results.Path, ResultsDirectory.JsonLines)))
        {
            throw new UserException($"{results.Path} already holds results ({ResultsDirectory.JsonLines}); choose another --out so nothing recorded is overwritten");
        }

        var kernels = spec.Kernels.Select(id => catalog.TryGet(id, out var k) ? k : throw new UserException($"unknown kernel '{id}'")).ToList();
        var sweepId = SweepId(spec, kernels);
        if (spec.Models.Any(m => m.IsSimulated))
        {
            AnsiConsole.MarkupLine("[yellow]Simulated models in this sweep:[/] " + Markup.Escape(string.Join(", ", spec.Models.Where(m => m.IsSimulated).Select(m => m.DisplayName))));
        }

        await using var cluster = await AnsiConsole.Status().StartAsync("Starting the embedded silo and agent...",
            _ => EmbeddedCluster.StartAsync(Path.Combine(Path.GetTempPath(), "kernelsmith", sweepId), cancellationToken));
        var sweep = cluster.Grains.GetGrain<ISweepGrain>(sweepId);
        await sweep.StartAsync(spec, kernels);

        var records = new List<ExperimentRecord>();
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(async context =>
            {
                var bar = context.AddTask("starting", maxValue: 1);
                while (true)
                {
                    var progress = await sweep.GetProgressAsync();
                    foreach (var record in await sweep.GetRecordsAsync(records.Count, int.MaxValue))
                    {
                        results.Append(record);
                        records.Add(record);
                    }

                    bar.MaxValue = Math.Max(1, progress.Total);
                    bar.Value = progress.Recorded;
                    bar.Description = $"{spec.Name}: done {progress.Recorded}/{progress.Total} | running {progress.Running} | failed {progress.Failed}";
                    if (progress.IsComplete && records.Count == progress.Total)
                    {
                        return;
                    }

                    await Task.Delay(s_poll, cancellationToken);
                }
            });

        results.WriteCsv(records);
        await File.WriteAllTextAsync(Path.Combine(results.Path, MarkdownReport.FileName), MarkdownReport.Render(spec.Name, records), cancellationToken);
        AnsiConsole.Write(ResultsTable(records));
        AnsiConsole.MarkupLine($"Results: [bold]{Markup.Escape(results.Path)}[/] ({ResultsDirectory.JsonLines}, {ResultsDirectory.Csv}, {MarkdownReport.FileName})");
        return 0;
    }

    /// <summary>The same spec and kernels give the same sweep id, so a resubmission is recognised.</summary>
    private static string SweepId(SweepSpec spec, IReadOnlyList<KernelDefinition> kernels)
    {
        var text = JsonSerializer.Serialize(spec) + string.Join(",", kernels.Select(k => k.ContentHash));
        return $"{spec.Name}-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..8]}";
    }

    private static Table ResultsTable(IReadOnlyList<ExperimentRecord> records)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumns("kernel", "model", "technology", "sample", "verdict", "best speedup", "at");
        foreach (var r in records.OrderBy(r => r.Kernel, StringComparer.Ordinal).ThenBy(r => r.Model, StringComparer.Ordinal).ThenBy(r => r.Technology, StringComparer.Ordinal).ThenBy(r => r.Sample))
        {
            var colour = r.Verdict == Verdict.Correct ? "green" : r.Verdict == Verdict.InfraError ? "grey" : "red";
            table.AddRow(
                Markup.Escape(r.Kernel),
                Markup.Escape(r.Model),
                r.Technology,
                r.Sample.ToString(CultureInfo.InvariantCulture),
                $"[{colour}]{r.Verdict.ToWireName()}[/]",
                r.Speedup?.ToString("F2", CultureInfo.InvariantCulture) ?? "-",
                r.BestThreads is { } n ? $"{n} {(r.Technology == Technologies.Mpi ? "ranks" : "threads")}" : "-");
        }

        return table;
    }
}

/// <summary>A mistake the user can fix; printed as one line, without a stack trace.</summary>
internal sealed class UserException(string message) : Exception(message);
