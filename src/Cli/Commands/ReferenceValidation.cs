using System.Globalization;
using Kernelsmith.Cli.Embedded;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Protos;
using Kernelsmith.Grains.Verification;
using Spectre.Console;

namespace Kernelsmith.Cli.Commands;

/// <summary>
/// The reference's part of <c>kernels validate --run</c>, through the same reference grain every sweep judges answers
/// with, in the embedded agent's sandbox. A kernel without expert solutions (a user's own code) has its sequential
/// program built and run twice on every main input, so one that does not build, crashes, or prints something else on
/// its second run is found before a sweep is charged with it; each input's times and output size are shown. Every
/// kernel's verification strength is measured once: how many numbers its output leaves to compare, and whether that
/// output changes on its other inputs and when its computation is perturbed (<c>perturb</c> in kernel.yaml).
/// </summary>
internal static class ReferenceValidation
{
    private const int Runs = 2;
    private const double TimeoutSeconds = 600;

    /// <summary>Runs each kernel's reference; the number of kernel inputs that failed (weak outputs only warn).</summary>
    /// <param name="proven">Whether a kernel's expert solutions are proven by sweeps here: its reference is then run on its baseline input only.</param>
    public static async Task<int> RunAsync(IReadOnlyList<KernelDefinition> kernels, Func<KernelDefinition, bool> proven, CancellationToken cancellationToken)
    {
        if (kernels.Count == 0)
        {
            return 0;
        }

        var workRoot = Path.Combine(Path.GetTempPath(), "kernelsmith", $"validate-reference-{Guid.NewGuid():n}");
        try
        {
            await using var cluster = await EmbeddedCluster.StartAsync(workRoot, cancellationToken);
            using var client = cluster.Connect();
            var agents = await client.CallAsync(async c => await c.ListAgentsAsync(new ListAgentsRequest(), cancellationToken: cancellationToken), cancellationToken);
            var reference = new References(cluster, client, agents.Agents.First().AgentId, cancellationToken);
            var (checkedCount, failed, weak) = (0, 0, 0);
            foreach (var kernel in kernels)
            {
                // Kernels with expert solutions have those proven on their tiny input by sweeps: their reference is measured there only.
                var baseline = kernel.Inputs.ContainsKey("tiny") ? "tiny" : kernel.Inputs.Keys.Order(StringComparer.Ordinal).First();
                var inputs = proven(kernel) ? [baseline] : kernel.Inputs.Keys.Order(StringComparer.Ordinal).ToList();
                var outputs = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var input in inputs)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var result = await reference.GetAsync(kernel, input);
                    if (proven(kernel) && result.Error is null)
                    {
                        outputs[input] = result.Stdout;
                        continue;
                    }

                    checkedCount++;
                    if (result.Error is not null)
                    {
                        failed++;
                        AnsiConsole.MarkupLine($"[red]{Markup.Escape(kernel.Id)} input {Markup.Escape(input)}:[/] {Markup.Escape(result.Error)}");
                        continue;
                    }

                    outputs[input] = result.Stdout;
                    var seconds = string.Join(" and ", result.AllSeconds.Select(s => string.Format(CultureInfo.InvariantCulture, "{0:0.###} s", s)));
                    var size = VerificationStrength.Measure(result.Stdout, kernel.Compare, null);
                    AnsiConsole.MarkupLine($"[green]{Markup.Escape(kernel.Id)} input {Markup.Escape(input)}:[/] the sequential program built, ran twice ({seconds}) "
                        + $"and printed the same both times: {size}");
                }

                if (outputs.TryGetValue(baseline, out var output) && !await StrengthAsync(reference, kernel, baseline, output, outputs))
                {
                    weak++;
                }
            }

            if (checkedCount > 0)
            {
                AnsiConsole.MarkupLine($"{checkedCount - failed} of {checkedCount} inputs of kernels without expert solutions ran the same twice");
            }

            if (weak > 0)
            {
                AnsiConsole.MarkupLine($"[yellow]{weak} kernel(s) with a weak output: a correct verdict on them says little[/]");
            }

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

    /// <summary>Measures and prints one kernel's verification strength on its baseline input; false when it is weak.</summary>
    private static async Task<bool> StrengthAsync(
        References reference, KernelDefinition kernel, string baseline, string output, Dictionary<string, string> outputs)
    {
        foreach (var input in kernel.Amplified.Keys.Order(StringComparer.Ordinal))
        {
            if ((await reference.GetAsync(kernel, input)) is { Error: null } amplified)
            {
                outputs[input] = amplified.Stdout;
            }
        }

        var others = outputs.Where(o => o.Key != baseline).ToList();
        var differing = others.Count(o => VerificationStrength.Differ(output, o.Value, kernel.Compare));
        var strength = VerificationStrength.Measure(output, kernel.Compare, others.Count == 0 ? null : differing > 0, kernel.Check is not null);
        var said = new List<string> { strength.ToString() };
        var weaknesses = strength.Weakness is null ? new List<string>() : [strength.Weakness];
        if (others.Count > 0)
        {
            said.Add($"it changes on {differing} of its {others.Count} other input(s)");
        }

        if (kernel.Check is { } check)
        {
            said.Add($"{string.Join(", ", check.Outputs)} judged by its checker ({check.Command})");
        }

        if (kernel.Perturbation is { } perturbation)
        {
            var perturbed = await PerturbedAsync(reference, kernel, baseline, perturbation);
            if (perturbed.Error is not null)
            {
                said.Add($"the perturbed build did not run ({perturbed.Error})");
            }
            else if (VerificationStrength.Differ(output, perturbed.Stdout, kernel.Compare))
            {
                said.Add("it changes when the computation is perturbed");
            }
            else if (kernel.Check is null)
            {
                weaknesses.Add("the same output when the computation is perturbed");
            }
        }

        AnsiConsole.MarkupLine($"{Markup.Escape(kernel.Id)}: verification strength on input {Markup.Escape(baseline)}: {Markup.Escape(string.Join("; ", said))}");
        if (weaknesses.Count == 0)
        {
            return true;
        }

        AnsiConsole.MarkupLine($"[yellow]warning: {Markup.Escape(kernel.Id)}: weak output ({Markup.Escape(string.Join("; ", weaknesses))}): a correct verdict on it says little; "
            + "print more of the result, or declare a checker (check: in kernel.yaml)[/]");
        return false;
    }

    /// <summary>The reference built with the kernel's <c>perturb</c> on top of the input's own definitions and substitutions.</summary>
    private static Task<ReferenceResult> PerturbedAsync(References reference, KernelDefinition kernel, string input, KernelInput perturbation)
    {
        var original = kernel.Inputs[input];
        var defines = new Dictionary<string, string>(original.Defines, StringComparer.Ordinal);
        foreach (var (name, value) in perturbation.Defines)
        {
            defines[name] = value;
        }

        var changed = original with { Defines = defines, Substitutions = [.. original.Substitutions, .. perturbation.Substitutions] };
        // Its own content hash: the reference grain of the unperturbed kernel must not answer for it.
        var perturbed = kernel with { Inputs = new Dictionary<string, KernelInput> { [input] = changed }, ContentHash = kernel.ContentHash + "-perturbed" };
        return reference.GetAsync(perturbed, input);
    }

    /// <summary>
    /// The reference's two runs on one input, as a sweep's experiments get them (its output includes its output files),
    /// asked of the embedded silo through the sweep API like every other command's call.
    /// </summary>
    private sealed class References(EmbeddedCluster cluster, ClusterClient client, string agentId, CancellationToken cancellationToken)
    {
        public async Task<ReferenceResult> GetAsync(KernelDefinition kernel, string input)
        {
            var request = new ReferenceRequest { Order = cluster.Serialize(new ReferenceOrder(kernel, input, agentId, Runs, TimeoutSeconds)) };
            var reply = await client.CallAsync(async c => await c.ReferenceAsync(request, cancellationToken: cancellationToken), cancellationToken);
            return cluster.Deserialize<ReferenceResult>(reply.Reference);
        }
    }
}
