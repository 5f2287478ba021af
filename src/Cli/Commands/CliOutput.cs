using System.CommandLine;
using System.CommandLine.Parsing;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;

namespace Kernelsmith.Cli.Commands;

/// <summary>
/// The one way a command prints: its results on stdout (a table on a terminal, tab-separated lines in a pipe, JSON with
/// <c>--json</c>), and everything else (progress, what it is doing, where it wrote) on stderr, so a script reading
/// stdout gets only the answer.
/// </summary>
internal static class CliOutput
{
    /// <summary>The exit codes every command keeps to, as the help says.</summary>
    public const string ExitCodes = "Exit codes: 0 success; 1 the work failed (a cluster unreachable, a write failed, a check found failures); "
        + "2 usage or input errors (an unknown option, a bad spec or file); 130 cancelled.";

    /// <summary>JSON as the results files write it: snake_case names, enums by their wire names, nulls kept.</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>Progress, notes and where things were written: stderr, in colour where it is a terminal.</summary>
    public static IAnsiConsole Progress { get; } = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });

    public static Option<bool> JsonOption() =>
        new("--json") { Description = "Print JSON on stdout instead of text: one object, or one object per line for a list" };

    /// <summary>Writes one JSON object on a line of its own.</summary>
    public static void WriteJson<T>(T value, JsonSerializerOptions? options = null) =>
        Console.Out.WriteLine(JsonSerializer.Serialize(value, options ?? Json));

    /// <summary>
    /// A table of plain cells: drawn on a terminal, tab-separated lines under a header line in a pipe or a file (tabs and
    /// line breaks inside a cell become spaces). <paramref name="style"/> may colour a cell on a terminal (a Spectre style name).
    /// </summary>
    public static void WriteTable(IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows, Func<int, string, string?>? style = null)
    {
        if (Console.IsOutputRedirected)
        {
            Console.Out.WriteLine(string.Join('\t', columns));
            foreach (var row in rows)
            {
                Console.Out.WriteLine(string.Join('\t', row.Select(Plain)));
            }

            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns([.. columns.Select(Markup.Escape)]);
        foreach (var row in rows)
        {
            table.AddRow([.. row.Select((cell, column) => style?.Invoke(column, cell) is { } colour ? $"[{colour}]{Markup.Escape(cell)}[/]" : Markup.Escape(cell))]);
        }

        AnsiConsole.Write(table);
    }

    /// <summary>Prints what was wrong with the command line and where its help is; a usage mistake exits with 2, as a bad spec does.</summary>
    public static int UsageErrors(ParseResult parse)
    {
        foreach (var error in parse.Errors)
        {
            Console.Error.WriteLine($"error: {error.Message}");
        }

        var path = new List<string>();
        for (var command = parse.CommandResult; command.Parent is CommandResult parent; command = parent)
        {
            path.Insert(0, command.Command.Name);
        }

        Console.Error.WriteLine($"see: {string.Join(' ', ["kernelsmith", .. path, "--help"])}");
        return 2;
    }

    private static string Plain(string cell) => cell.Replace('\t', ' ').Replace('\r', ' ').Replace('\n', ' ');
}
