using System.CommandLine;
using Kernelsmith.Results;
using Kernelsmith.Results.Reports;
using Spectre.Console;

namespace Kernelsmith.Cli.Commands;

/// <summary><c>kernelsmith report DIR</c>: rewrites a results directory's report from its recorded runs.</summary>
internal static class ReportCommand
{
    public static Command Create()
    {
        var directory = new Argument<DirectoryInfo>("dir") { Description = "A results directory (the --out of a run)" };
        var json = CliOutput.JsonOption();
        var command = new Command("report", "Write report.md, report.html, plots/, results.csv and results.parquet from a results directory's results.jsonl") { directory, json };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(directory)!, cancellationToken, parse.GetValue(json)));
        return command;
    }

    public static async Task<int> RunAsync(DirectoryInfo directory, CancellationToken cancellationToken, bool json = false)
    {
        var results = Open(directory);
        var records = results.ReadRecords();
        await SweepReport.WriteAsync(results, records, cancellationToken);
        if (json)
        {
            string In(string name) => Path.Combine(results.Path, name);
            CliOutput.WriteJson(new ReportWritten(records.Count, In(SweepReport.Html), In(SweepReport.Markdown), In(ReportPlot.Folder), In(ResultsDirectory.Csv), In(ResultsDirectory.Parquet)));
            return 0;
        }

        AnsiConsole.MarkupLine($"Report of {records.Count} experiments: [bold]{Markup.Escape(Path.Combine(results.Path, SweepReport.Html))}[/] (and {SweepReport.Markdown}, {ReportPlot.Folder}/, {ResultsDirectory.Csv}, {ResultsDirectory.Parquet})");
        return 0;
    }

    /// <summary>An existing results directory; a folder without <c>results.jsonl</c> is a mistake, not an empty sweep.</summary>
    public static ResultsDirectory Open(DirectoryInfo directory) =>
        File.Exists(Path.Combine(directory.FullName, ResultsDirectory.JsonLines))
            ? new ResultsDirectory(directory.FullName)
            : throw new UserException($"{directory.FullName} holds no {ResultsDirectory.JsonLines}: not a results directory");
}

/// <summary>What <c>report --json</c> prints: how many experiments, and where each file was written.</summary>
internal sealed record ReportWritten(int Experiments, string Html, string Markdown, string Plots, string Csv, string Parquet);
