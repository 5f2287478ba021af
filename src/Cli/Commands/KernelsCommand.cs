using System.CommandLine;
using Kernelsmith.Grains.Kernels;
using Spectre.Console;

namespace Kernelsmith.Cli.Commands;

/// <summary><c>kernelsmith kernels list|show</c>: what the catalog holds.</summary>
internal static class KernelsCommand
{
    public static Command Create(Option<string[]> kernels)
    {
        var list = new Command("list", "List the catalog's kernels") { kernels };
        list.SetAction(parse => List(Load(parse.GetValue(kernels))));
        var id = new Argument<string>("id") { Description = "Kernel id" };
        var show = new Command("show", "Show one kernel") { id, kernels };
        show.SetAction(parse => Show(Load(parse.GetValue(kernels)), parse.GetValue(id)!));
        return new Command("kernels", "The kernel catalog") { list, show };
    }

    private static KernelCatalog Load(string[]? directories) => KernelCatalog.Load(KernelDirectories.Resolve(directories, null));

    private static int List(KernelCatalog catalog)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("id", "title", "technologies", "inputs", "solutions");
        foreach (var kernel in catalog.Kernels.OrderBy(k => k.Id, StringComparer.Ordinal))
        {
            table.AddRow(
                Markup.Escape(kernel.Id),
                Markup.Escape(kernel.Title),
                string.Join(", ", kernel.Technologies),
                Markup.Escape(string.Join(", ", kernel.Inputs.Keys)),
                string.Join(", ", kernel.Solutions.Keys));
        }

        AnsiConsole.Write(table);
        return 0;
    }

    private static int Show(KernelCatalog catalog, string id)
    {
        if (!catalog.TryGet(id, out var kernel))
        {
            throw new UserException($"unknown kernel '{id}' (known: {string.Join(", ", catalog.Kernels.Select(k => k.Id).Order(StringComparer.Ordinal))})");
        }

        var grid = new Grid().AddColumn().AddColumn();
        void Row(string name, string value) => grid.AddRow($"[bold]{name}[/]", Markup.Escape(value));
        Row("id", kernel.Id);
        Row("title", kernel.Title);
        Row("language", kernel.Language);
        Row("note", kernel.Note);
        Row("technologies", string.Join(", ", kernel.Technologies));
        Row("sources", string.Join(", ", kernel.Sources.Select(s => s.Path)));
        Row("build", $"{kernel.Build.Compiler} {string.Join(' ', kernel.Build.Flags)} {string.Join(' ', kernel.Build.Libraries)}");
        foreach (var input in kernel.Inputs.Values)
        {
            Row($"input {input.Name}", string.Join(' ', input.Args) + (input.Stdin is null ? "" : " < stdin") + (input.Files.Count > 0 ? $" files: {string.Join(", ", input.Files.Select(f => f.Path))}" : ""));
        }

        Row("compare", $"{kernel.Compare.Mode} abs={kernel.Compare.AbsoluteTolerance} rel={kernel.Compare.RelativeTolerance} ignore={string.Join(" | ", kernel.Compare.IgnorePatterns)}");
        foreach (var (technology, files) in kernel.Solutions)
        {
            Row($"solution {technology}", string.Join(", ", files.Select(f => f.Path)));
        }

        Row("content hash", kernel.ContentHash);
        AnsiConsole.Write(grid);
        return 0;
    }
}
