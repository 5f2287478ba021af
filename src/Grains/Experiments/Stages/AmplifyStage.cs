using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Scheduling;
using Kernelsmith.Grains.Telemetry;
using Kernelsmith.Grains.Verification;

namespace Kernelsmith.Grains.Experiments.Stages;

/// <summary>
/// Untimed runs on the kernel's amplified inputs at every configuration, plus odd counts (3 threads; 3 and 5 ranks),
/// each compared with the sequential program's output on that input. Edge sizes catch uneven partitioning and
/// programs right only when the count divides the size; other seeds catch hard-coded or copied outputs.
/// </summary>
public sealed class AmplifyStage : IStage
{
    public ExperimentStage Stage => ExperimentStage.Amplify;

    public async Task<StepResult> RunAsync(StageContext context)
    {
        var (spec, kernel) = (context.Spec, context.Kernel);
        if (!(spec.Verify ?? VerifySettings.Default).Amplify || kernel.Amplified.Count == 0)
        {
            return new StepResult(context.Round);
        }

        var (agent, built) = await BuildStage.AgentWithArtifactAsync(context, context.Round);
        if (built.Failure is not null)
        {
            return built;
        }

        var round = built.Round;
        foreach (var input in kernel.Amplified.Values)
        {
            var reference = await context.ReferenceAsync(input.Name, agent);
            if (reference.Error is not null)
            {
                return context.Fail(round, Verdict.InfraError, reference.Error, "");
            }

            // An output the same on every input cannot tell a program that ignores its input from one that computes.
            round = round with { ReferenceVaries = round.ReferenceVaries == true || VerificationStrength.Differ(round.ReferenceOutput, reference.Stdout, kernel.Compare) };

            var (artifact, notBuilt) = await BuildStage.ArtifactForAsync(context, agent, round, input);
            if (notBuilt is not null)
            {
                return notBuilt;
            }

            foreach (var configuration in Configurations.Amplified(spec, context.Technology))
            {
                var (threads, ranks) = configuration;
                using var activity = GrainsInstrumentation.Source.StartActivity("amplify");
                activity?.SetTag("kernelsmith.input", input.Name);
                activity?.SetTag("kernelsmith.threads", threads);
                activity?.SetTag("kernelsmith.ranks", ranks);
                var job = Jobs.Run(context.JobId($"{input.Name}/t{threads}n{ranks}"), artifact!, input, threads, ranks,
                    spec.Run.TimeoutSeconds, exclusive: false, context.Technology);
                var result = await context.RunAsync(agent, job);
                var where = $"on the amplified input '{input.Name}' (arguments: {string.Join(' ', input.Args)}) {configuration.Where}";
                if (RunFailures.Of(context, round, result, where) is { } failure)
                {
                    return failure;
                }

                var mismatch = OutputMismatch.Check(context, round with { RunLog = Jobs.Log(result) }, reference.Stdout, [Jobs.ProducedOutput(result)],
                    kernel.Compare, where, RepairFeedback.AmplifiedOutputDiffers(where));
                if (mismatch is not null)
                {
                    return mismatch;
                }

                if (kernel.Check is { } check && OutputCheckRun.Applies(check, input)
                    && await OutputCheckRun.CheckOneAsync(context, agent, round, check, reference, Jobs.ProducedOutput(result), $"{input.Name}/t{threads}n{ranks}", where) is { } rejected)
                {
                    return rejected;
                }
            }
        }

        return new StepResult(round);
    }
}
