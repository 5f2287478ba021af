using System.Globalization;
using Kernelsmith.Cli.Embedded;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Llm;
using Kernelsmith.Results;
using Spectre.Console;

namespace Kernelsmith.Cli.Commands;

/// <summary>
/// <c>kernels validate --run</c> for a kernel without expert solutions (a user's own code): its sequential program is
/// built and run on every main input twice, in the sandbox as any sweep runs it (a <c>sim identity</c> answer timed
/// once against the reference), so a program that does not build, crashes, or prints something else on its second
/// run is found before a sweep is charged with it.
/// </summary>
internal static class ReferenceValidation
{
    /// <summary>Runs each kernel's reference on each of its inputs; the number of kernel inputs that failed.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<KernelDefinition> kernels, IReadOnlyList<string> technologies, ResultsDirectory results, CancellationToken cancellationToken)
    {
        var (checkedCount, failed) = (0, 0);
        foreach (var kernel in kernels)
        {
            if (kernel.Technologies.FirstOrDefault(technologies.Contains) is not { } technology)
            {
                AnsiConsole.MarkupLine($"[yellow]{Markup.Escape(kernel.Id)}: no toolchain here for {Markup.Escape(string.Join(", ", kernel.Technologies))}; not run[/]");
                continue;
            }

            foreach (var input in kernel.Inputs.Keys.Order(StringComparer.Ordinal))
            {
                var spec = new SweepSpec(
                    $"reference-{kernel.Id}-{input}",
                    [kernel.Id],
                    [technology],
                    [new ModelSpec("reference", ModelProviders.Sim, Behaviour: SimModel.Identity)],
                    [PromptLibrary.Plain],
                    1,
                    new RepairSettings(0),
                    new RunSettings(input, [1], [1], 1, 600, 120) { MaxPairs = 1, Warmups = 0, Expert = false },
                    Verify: new VerifySettings([], Amplify: false));
                var record = (await SweepRunner.RunAsync(spec, [kernel], results, cancellationToken)).Single();
                checkedCount++;
                // The unchanged program is not parallel by construction: its output is what is checked.
                if (record.OutputCorrect == true && record.Runs.Count == 1)
                {
                    var seconds = string.Format(CultureInfo.InvariantCulture, "{0:0.###} s and {1:0.###} s", record.SequentialSeconds, record.Runs[0].Seconds);
                    AnsiConsole.MarkupLine($"[green]{Markup.Escape(kernel.Id)} input {Markup.Escape(input)}:[/] the sequential program built, ran twice ({seconds}) and printed the same both times");
                }
                else
                {
                    failed++;
                    AnsiConsole.MarkupLine($"[red]{Markup.Escape(kernel.Id)} input {Markup.Escape(input)}: {record.Verdict.ToWireName()}[/]: {Markup.Escape(record.Reason)}");
                }
            }
        }

        if (checkedCount > 0)
        {
            AnsiConsole.MarkupLine($"{checkedCount - failed} of {checkedCount} inputs of kernels without expert solutions ran the same twice; details in {Markup.Escape(results.Path)}");
        }

        return failed;
    }
}
