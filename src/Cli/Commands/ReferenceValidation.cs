using System.Globalization;
using Kernelsmith.Cli.Embedded;
using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Grains.Experiments;
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
            var agent = (await cluster.Grains.GetGrain<IAgentRegistryGrain>(0).GetLiveAgentsAsync()).First();
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
                    var reference = await ReferenceAsync(cluster, kernel, input, agent);
                    if (proven(kernel) && reference.Error is null)
                    {
                        outputs[input] = reference.Stdout;
                        continue;
                    }

                    checkedCount++;
                    if (reference.Error is not null)
                    {
                        failed++;
                        AnsiConsole.MarkupLine($"[red]{Markup.Escape(kernel.Id)} input {Markup.Escape(input)}:[/] {Markup.Escape(reference.Error)}");
                        continue;
                    }

                    outputs[input] = reference.Stdout;
                    var seconds = string.Join(" and ", reference.AllSeconds.Select(s => string.Format(CultureInfo.InvariantCulture, "{0:0.###} s", s)));
                    var size = VerificationStrength.Measure(reference.Stdout, kernel.Compare, null);
                    AnsiConsole.MarkupLine($"[green]{Markup.Escape(kernel.Id)} input {Markup.Escape(input)}:[/] the sequential program built, ran twice ({seconds}) "
                        + $"and printed the same both times: {size}");
                }

                if (outputs.TryGetValue(baseline, out var output) && !await StrengthAsync(cluster, kernel, baseline, output, outputs, agent))
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
        EmbeddedCluster cluster, KernelDefinition kernel, string baseline, string output, Dictionary<string, string> outputs, AgentInfo agent)
    {
        foreach (var input in kernel.Amplified.Keys.Order(StringComparer.Ordinal))
        {
            if ((await ReferenceAsync(cluster, kernel, input, agent)) is { Error: null } amplified)
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
            var perturbed = await PerturbedAsync(cluster, kernel, baseline, perturbation, agent);
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
    private static Task<ReferenceResult> PerturbedAsync(EmbeddedCluster cluster, KernelDefinition kernel, string input, KernelInput perturbation, AgentInfo agent)
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
        return ReferenceAsync(cluster, perturbed, input, agent);
    }

    /// <summary>The reference's two runs on one input, as a sweep's experiments get them (its output includes its output files).</summary>
    private static Task<ReferenceResult> ReferenceAsync(EmbeddedCluster cluster, KernelDefinition kernel, string input, AgentInfo agent) =>
        cluster.Grains.GetGrain<IReferenceGrain>(ReferenceGrain.Key(kernel, input, agent.AgentId)).GetAsync(kernel, input, agent, Runs, TimeoutSeconds);
}
