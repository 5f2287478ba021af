using System.CommandLine;
using Kernelsmith.Cli.Embedded;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Protos;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Llm;
using Kernelsmith.Grains.Yaml;
using Kernelsmith.Results;
using Spectre.Console;

namespace Kernelsmith.Cli.Commands;

/// <summary><c>kernelsmith kernels list|show</c>: what the catalog holds.</summary>
internal static class KernelsCommand
{
    public static Command Create(Option<string[]> kernels)
    {
        var json = CliOutput.JsonOption();
        var list = new Command("list", "List the catalog's kernels") { kernels, json };
        list.SetAction(parse =>
        {
            var broken = new List<InputFileException>();
            var listed = List(KernelCatalog.Load(CatalogDirectories.Resolve(parse.GetValue(kernels), null), broken), parse.GetValue(json));
            foreach (var problem in broken)
            {
                Console.Error.WriteLine($"error: kernel folder skipped: {problem.Message}");
            }

            // The good kernels are listed; a script still learns that one is broken.
            return broken.Count == 0 ? listed : 1;
        });
        var id = new Argument<string>("id") { Description = "Kernel id" };
        var show = new Command("show", "Show one kernel") { id, kernels, json };
        show.SetAction(parse => Show(Load(parse.GetValue(kernels)), parse.GetValue(id)!, parse.GetValue(json)));
        var run = new Option<bool>("--run") { Description = "Also build and run every expert solution on 'tiny' at 1, 2 and 3 threads/ranks against the reference; a kernel without expert solutions has its sequential program run twice on every input; every kernel's verification strength is measured" };
        var ids = new Argument<string[]>("ids") { Description = "Kernels to validate (default: all)", Arity = ArgumentArity.ZeroOrMore };
        var validate = new Command("validate", "Check kernel folders; with --run, prove every expert solution correct") { ids, run, kernels, json };
        validate.SetAction((parse, cancellationToken) =>
            ValidateAsync(Load(parse.GetValue(kernels)), parse.GetValue(ids) ?? [], parse.GetValue(run), parse.GetValue(json), cancellationToken));
        return new Command("kernels", "The kernel catalog") { list, show, validate };
    }

    /// <summary>
    /// The technologies this machine's agent proves at start (a test program built and ran with the toolchain), asked of
    /// an embedded agent through the sweep API as <c>kernelsmith agents</c> asks a cluster's: the agent owns that check.
    /// </summary>
    private static async Task<IReadOnlyList<string>> LocalTechnologiesAsync(CancellationToken cancellationToken)
    {
        var workRoot = Path.Combine(Path.GetTempPath(), "kernelsmith", $"validate-{Guid.NewGuid():n}");
        try
        {
            await using var cluster = await EmbeddedCluster.StartAsync(workRoot, cancellationToken);
            using var client = cluster.Connect();
            var agents = await client.CallAsync(async c => await c.ListAgentsAsync(new ListAgentsRequest(), cancellationToken: cancellationToken), cancellationToken);
            return [.. Technologies.All.Where(t => agents.Agents.Any(a => a.Technologies.Contains(t)))];
        }
        finally
        {
            if (Directory.Exists(workRoot))
            {
                Directory.Delete(workRoot, recursive: true);
            }
        }
    }

    private static async Task<int> ValidateAsync(KernelCatalog catalog, string[] ids, bool run, bool json, CancellationToken cancellationToken)
    {
        if (json)
        {
            // What validation says along the way is progress; stdout carries only the summary object.
            AnsiConsole.Console = CliOutput.Progress;
        }

        var kernels = ids.Length == 0
            ? catalog.Kernels.OrderBy(k => k.Id, StringComparer.Ordinal).ToList()
            : ids.Select(id => catalog.TryGet(id, out var k) ? k : throw new UserException($"unknown kernel '{id}'")).ToList();
        AnsiConsole.MarkupLine($"[green]{kernels.Count} kernel folder(s) valid:[/] {Markup.Escape(string.Join(", ", kernels.Select(k => k.Id)))}");
        int Done(int exit, IReadOnlyList<ExperimentRecord> solutions, int referenceFailures, string? details)
        {
            if (json)
            {
                CliOutput.WriteJson(new ValidationSummary(
                    [.. kernels.Select(k => k.Id)], run, [.. solutions.Select(r => new SolutionCheck(r.Kernel, r.Technology, r.Verdict.ToWireName(), r.Reason))],
                    referenceFailures, exit == 0, details));
            }

            return exit;
        }

        if (!run)
        {
            return Done(0, [], 0, null);
        }

        var local = await LocalTechnologiesAsync(cancellationToken);
        var withoutSolutions = kernels.Where(k => !local.Any(k.Solutions.ContainsKey)).ToList();
        // Every kernel's reference: run twice per input for those without solutions, and its verification strength measured.
        var referenceFailures = await ReferenceValidation.RunAsync(kernels, k => local.Any(k.Solutions.ContainsKey), cancellationToken);
        if (withoutSolutions.Count == kernels.Count)
        {
            return Done(referenceFailures == 0 ? 0 : 1, [], referenceFailures, null);
        }

        var results = new ResultsDirectory(Directory.CreateTempSubdirectory("kernelsmith-validate-").FullName);
        var records = new List<ExperimentRecord>();

        foreach (var technology in local)
        {
            var withSolution = kernels.Where(k => k.Solutions.ContainsKey(technology)).ToList();
            if (withSolution.Count == 0)
            {
                continue;
            }

            var spec = new SweepSpec(
                $"validate-{technology}",
                withSolution.Select(k => k.Id).ToList(),
                [technology],
                [new ModelSpec("expert", ModelProviders.Sim, Behaviour: SimModel.Expert)],
                [PromptLibrary.Plain],
                1,
                new RepairSettings(0),
                // Correctness only: two pairs (each program run twice, so a nondeterministic output shows), nothing timed beside.
                new RunSettings("tiny", [1, 2, 3], [1, 2, 3], 2, 60, 120) { MaxPairs = 2, Warmups = 0, Expert = false });
            records.AddRange(await SweepRunner.RunAsync(spec, withSolution, results, cancellationToken));
        }

        if (!json)
        {
            RunCommand.WriteResults(records, json: false);
        }

        var failures = records.Where(r => r.Verdict != Verdict.Correct).ToList();
        foreach (var failure in failures)
        {
            AnsiConsole.MarkupLine($"[red]{Markup.Escape(failure.Kernel)} {failure.Technology}: {failure.Verdict.ToWireName()}[/]: {Markup.Escape(failure.Reason)}");
        }

        AnsiConsole.MarkupLine($"{records.Count - failures.Count} of {records.Count} expert solutions correct at 1, 2 and 3 threads/ranks, on the amplified inputs "
            + $"and under the sanitizers; details in {Markup.Escape(results.Path)}");
        return Done(failures.Count == 0 && referenceFailures == 0 ? 0 : 1, records, referenceFailures, results.Path);
    }

    private static KernelCatalog Load(string[]? directories) => KernelCatalog.Load(CatalogDirectories.Resolve(directories, null));

    private static int List(KernelCatalog catalog, bool json)
    {
        var kernels = catalog.Kernels.OrderBy(k => k.Id, StringComparer.Ordinal).ToList();
        if (json)
        {
            foreach (var kernel in kernels)
            {
                CliOutput.WriteJson(new KernelSummary(kernel.Id, kernel.Title, kernel.Language, kernel.Technologies, [.. kernel.Inputs.Keys], [.. kernel.Solutions.Keys], kernel.ContentHash));
            }

            return 0;
        }

        CliOutput.WriteTable(
            ["id", "title", "technologies", "inputs", "solutions"],
            kernels.Select(k => (IReadOnlyList<string>)[k.Id, k.Title, string.Join(", ", k.Technologies), string.Join(", ", k.Inputs.Keys), string.Join(", ", k.Solutions.Keys)]));
        return 0;
    }

    private static int Show(KernelCatalog catalog, string id, bool json)
    {
        if (!catalog.TryGet(id, out var kernel))
        {
            throw new UserException($"unknown kernel '{id}' (known: {string.Join(", ", catalog.Kernels.Select(k => k.Id).Order(StringComparer.Ordinal))})");
        }

        if (json)
        {
            // The kernel definition as loaded from kernel.yaml, sources and solutions with their content.
            CliOutput.WriteJson(kernel);
            return 0;
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
        foreach (var input in kernel.Inputs.Values.Concat(kernel.Amplified.Values))
        {
            Row(kernel.Inputs.ContainsKey(input.Name) ? $"input {input.Name}" : $"amplified {input.Name}", string.Join(' ', input.Args) + (input.Stdin is null ? "" : " < stdin") + (input.Files.Count > 0 ? $" files: {string.Join(", ", input.Files.Select(f => f.Path))}" : "")
                + (InputBuild.Describe(input) is { Length: > 0 } build ? $" build: {build}" : ""));
        }

        if (kernel.Perturbation is { } perturbation)
        {
            Row("perturb", InputBuild.Describe(perturbation));
        }

        if (kernel.Check is { } check)
        {
            Row("check", $"{check.Command} on {string.Join(", ", check.Outputs)}" + (check.Files.Count > 0 ? $" (files: {string.Join(", ", check.Files.Select(f => f.Path))})" : ""));
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

/// <summary>
/// What <c>kernels validate --json</c> prints: the kernel folders found valid, whether they were run, each expert
/// solution's verdict (<c>correct</c> or why not), how many inputs of kernels without solutions failed, and where the details are.
/// </summary>
internal sealed record ValidationSummary(
    IReadOnlyList<string> Kernels, bool Run, IReadOnlyList<SolutionCheck> Solutions, int ReferenceFailures, bool Passed, string? Details);

/// <summary>One expert solution checked by <c>kernels validate --run</c>.</summary>
internal sealed record SolutionCheck(string Kernel, string Technology, string Verdict, string Reason);

/// <summary>One line of <c>kernels list --json</c>.</summary>
internal sealed record KernelSummary(
    string Id, string Title, string Language, IReadOnlyList<string> Technologies, IReadOnlyList<string> Inputs, IReadOnlyList<string> Solutions, string ContentHash);
