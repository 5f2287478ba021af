using System.Globalization;
using Kernelsmith.Cli.Embedded;
using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Grains.Experiments;
using Kernelsmith.Grains.Scheduling;
using Kernelsmith.Grains.Verification;
using Spectre.Console;

namespace Kernelsmith.Cli.Commands;

/// <summary>
/// <c>kernels validate --run</c> for a kernel without expert solutions (a user's own code): its sequential program is
/// built and run on every main input twice, in the embedded agent's sandbox, by the same reference grain every sweep
/// judges answers with, so a program that does not build, crashes, or prints something else on its second run is
/// found before a sweep is charged with it. Each input's two times and its output's size are shown.
/// </summary>
internal static class ReferenceValidation
{
    private const int Runs = 2;
    private const double TimeoutSeconds = 600;

    /// <summary>Runs each kernel's reference on each of its inputs; the number of kernel inputs that failed.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<KernelDefinition> kernels, CancellationToken cancellationToken)
    {
        if (kernels.Count == 0)
        {
            return 0;
        }

        var workRoot = Path.Combine(Path.GetTempPath(), "kernelsmith", $"validate-reference-{Guid.NewGuid():n}");
        try
        {
            await using var cluster = await EmbeddedCluster.StartAsync(workRoot, cancellationToken);
            var agent = (await cluster.Grains.GetGrain<IAgentRegistryGrain>(0).GetLiveAgentsAsync()).First();
            var (checkedCount, failed) = (0, 0);
            foreach (var kernel in kernels)
            {
                foreach (var input in kernel.Inputs.Keys.Order(StringComparer.Ordinal))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var reference = await ReferenceAsync(cluster, kernel, input, agent);
                    checkedCount++;
                    if (reference.Error is not null)
                    {
                        failed++;
                        AnsiConsole.MarkupLine($"[red]{Markup.Escape(kernel.Id)} input {Markup.Escape(input)}:[/] {Markup.Escape(reference.Error)}");
                        continue;
                    }

                    var seconds = string.Join(" and ", reference.AllSeconds.Select(s => string.Format(CultureInfo.InvariantCulture, "{0:0.###} s", s)));
                    var size = OutputSize.Of(Produced(reference), kernel.Compare);
                    AnsiConsole.MarkupLine($"[green]{Markup.Escape(kernel.Id)} input {Markup.Escape(input)}:[/] the sequential program built, ran twice ({seconds}) "
                        + $"and printed the same both times: {size}");
                }
            }

            AnsiConsole.MarkupLine($"{checkedCount - failed} of {checkedCount} inputs of kernels without expert solutions ran the same twice");
            return failed;
        }
        finally
        {
            if (Directory.Exists(workRoot))
            {
                Directory.Delete(workRoot, recursive: true);
            }
        }
    }

    /// <summary>The reference's two runs on one input, as a sweep's experiments get them.</summary>
    internal static Task<ReferenceResult> ReferenceAsync(EmbeddedCluster cluster, KernelDefinition kernel, string input, AgentInfo agent) =>
        cluster.Grains.GetGrain<IReferenceGrain>(ReferenceGrain.Key(kernel, input, agent.AgentId)).GetAsync(kernel, input, agent, Runs, TimeoutSeconds);

    /// <summary>What the reference produced, standard output then its output files, as answers are compared with it.</summary>
    internal static string Produced(ReferenceResult reference) => Jobs.ProducedOutput(reference.Stdout, reference.OutputFiles);
}
