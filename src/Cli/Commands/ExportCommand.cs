using System.CommandLine;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Yaml;
using Kernelsmith.Results.Reports;
using Spectre.Console;

namespace Kernelsmith.Cli.Commands;

/// <summary><c>kernelsmith export DIR --dataset OUT</c>: a fine-tuning dataset and preference pairs from recorded runs.</summary>
internal static class ExportCommand
{
    public static Command Create(Option<string[]> kernels)
    {
        var directory = new Argument<DirectoryInfo>("dir") { Description = "A results directory (the --out of a run)" };
        var dataset = new Option<DirectoryInfo>("--dataset") { Description = "Folder to write dataset.jsonl and preferences.jsonl to", Required = true };
        var json = CliOutput.JsonOption();
        var format = new Option<string>("--format")
        {
            Description = "jsonl: dataset.jsonl and preferences.jsonl with full provenance; openai-chat: OpenAI chat fine-tuning (correct answers, "
                + "repair conversations with failed turns weighted 0); trl-dpo: TRL preference pairs (prompt, chosen, rejected); trl-kto: TRL unpaired "
                + "preferences (prompt, completion, label: every round's answer); trajectories: multi-turn repair trajectories with the final verdict, speedup and reward",
            DefaultValueFactory = _ => TrainerFormats.Jsonl,
        };
        format.AcceptOnlyFromAmong([.. TrainerFormats.All]);
        var command = new Command("export", "Export a fine-tuning dataset and preference pairs from a results directory") { directory, dataset, kernels, json, format };
        command.SetAction(parse => Run(parse.GetValue(directory)!, parse.GetValue(dataset)!, parse.GetValue(kernels), parse.GetValue(json), parse.GetValue(format)!));
        return command;
    }

    public static int Run(DirectoryInfo directory, DirectoryInfo dataset, string[]? kernelDirectories, bool json = false, string format = TrainerFormats.Jsonl)
    {
        var results = ReportCommand.Open(directory);
        var (examples, pairs) = DatasetExport.Write(results, results.ReadRecords(), Catalog(kernelDirectories, directory.FullName)?.Kernels, dataset.FullName, format);
        if (format != TrainerFormats.Jsonl)
        {
            var file = Path.Combine(dataset.FullName, format + ".jsonl");
            var count = format == TrainerFormats.TrlDpo ? pairs : examples;
            Console.Out.WriteLine(json ? System.Text.Json.JsonSerializer.Serialize(new { format, count, file }, CliOutput.Json) : $"Wrote {count} {format} lines to {file}");
            return 0;
        }

        if (json)
        {
            CliOutput.WriteJson(new ExportWritten(examples, pairs, Path.Combine(dataset.FullName, DatasetExport.Examples), Path.Combine(dataset.FullName, DatasetExport.Preferences)));
            return 0;
        }

        AnsiConsole.MarkupLine($"Wrote {examples} examples ({DatasetExport.Examples}) and {pairs} preference pairs ({DatasetExport.Preferences}) to [bold]{Markup.Escape(dataset.FullName)}[/]");
        return 0;
    }

    /// <summary>The catalog named with --kernels (its errors are the user's to fix), else the nearest one if any: without it, sources come from the prompts.</summary>
    private static KernelCatalog? Catalog(string[]? given, string near)
    {
        if (given is { Length: > 0 })
        {
            return KernelCatalog.Load(given);
        }

        try
        {
            return KernelCatalog.Load(CatalogDirectories.Resolve(null, Path.Combine(near, ".")));
        }
        catch (InputFileException)
        {
            return null;
        }
    }
}

/// <summary>What <c>export --json</c> prints: how many examples and pairs, and the files they are in.</summary>
internal sealed record ExportWritten(int Examples, int Pairs, string ExamplesFile, string PreferencesFile);
