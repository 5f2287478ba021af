using System.Diagnostics;
using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Protos;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Extraction;
using Kernelsmith.Grains.Llm;
using Kernelsmith.Grains.Scheduling;
using Kernelsmith.Grains.Telemetry;
using Kernelsmith.Grains.Verification;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace Kernelsmith.Grains.Experiments;

/// <summary>
/// One experiment's durable state machine. <see cref="StartAsync"/> returns at once; the steps run on the
/// grain's own scheduler, and the state is written after each one.
/// </summary>
public sealed partial class ExperimentGrain(
    [PersistentState("experiment", StorageNames.Experiments)] IPersistentState<ExperimentState> state,
    ModelGateway models,
    JobDispatcher dispatcher,
    SpeedupMeasurer measurer,
    ILogger<ExperimentGrain> logger) : Grain, IExperimentGrain, IRemindable
{
    private const string KeepAlive = "keep-alive";

    /// <summary>How often an unfinished experiment is woken up, wherever it lives after a silo died.</summary>
    public static readonly TimeSpan KeepAlivePeriod = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Tries of a stage that failed for the infrastructure's sake before the experiment is recorded as infra_error:
    /// the waits between them (2, 4, 8, 16, 30 s) outlast the time a cluster takes to declare a killed silo dead.
    /// </summary>
    private const int MaxInfraAttempts = 6;
    private Task? _driving;

    private ExperimentState S => state.State;

    /// <summary>The technology in effect: the spec's, or the one the model chose when the spec says <c>auto</c>.</summary>
    private string Technology => S.ChosenTechnology ?? S.Spec!.Technology;

    public async Task StartAsync(ExperimentSpec spec)
    {
        if (S.Spec is null)
        {
            S.Spec = spec;
            ExperimentTrace.RememberSweep(S);
            await state.WriteStateAsync();
        }

        if (S.Stage != ExperimentStage.Done)
        {
            await this.RegisterOrUpdateReminder(KeepAlive, KeepAlivePeriod, KeepAlivePeriod);
            Drive();
        }
    }

    public Task<ExperimentStage> GetStageAsync() => Task.FromResult(S.Stage);

    public Task<IReadOnlyList<Attempt>> GetAttemptsAsync() => Task.FromResult<IReadOnlyList<Attempt>>(S.Attempts);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (S.Spec is null || S.Stage == ExperimentStage.Done)
        {
            await this.UnregisterReminder(await this.GetReminder(reminderName) ?? throw new InvalidOperationException("reminder vanished"));
            return;
        }

        Drive();
    }

    private void Drive()
    {
        if (_driving is null or { IsCompleted: true })
        {
            _driving = DriveAsync();
        }
    }

    private async Task DriveAsync()
    {
        var spec = S.Spec!;
        using var trace = ExperimentTrace.Start(S);
        var sweep = GrainFactory.GetGrain<ISweepGrain>(spec.SweepId);
        var kernel = await sweep.GetKernelAsync(spec.Kernel);
        S.KernelHash = kernel.ContentHash;
        while (S.Stage != ExperimentStage.Done)
        {
            DelayDeactivation(TimeSpan.FromMinutes(30));
            if (S.Stage != ExperimentStage.Record && await sweep.IsCancelledAsync())
            {
                // Cancelled: keep the state; a resume (or the reminder after one) continues from here.
                return;
            }

            Verdict? failure;
            try
            {
                failure = await StepAsync(kernel, spec);
                S.InfraFailures = 0;
            }
            catch (Exception e) when (S.Stage == ExperimentStage.Record || IsInfra(e) && S.InfraFailures < MaxInfraAttempts - 1)
            {
                // A record is never dropped, and an agent or endpoint that failed gets another chance.
                S.InfraFailures++;
                LogStepRetried(spec.ExperimentId, S.Stage, S.InfraFailures, e.Message);
                await state.WriteStateAsync();
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, 1 << S.InfraFailures)));
                continue;
            }
            catch (Exception e) when (IsInfra(e))
            {
                failure = Fail(Verdict.InfraError, e.Message, "");
            }
            catch (Exception e)
            {
                LogStepCrashed(e, spec.ExperimentId, S.Stage);
                failure = Fail(Verdict.InfraError, $"internal error in stage {S.Stage}: {e.Message}", "");
            }

            var stage = S.Stage;
            if (stage == ExperimentStage.Sanitize && failure is null || failure is not null)
            {
                CloseRound();
            }

            S.Stage = ExperimentTransitions.Next(stage, failure, S.Round < spec.Repair.Rounds);
            if (stage == ExperimentStage.Repair && S.Stage == ExperimentStage.Generate)
            {
                S.Conversation.Add(PromptLibrary.Feedback(S.Verdict!.Value, S.Feedback));
                S.StartNextRound();
            }

            trace.Moved(S);
            await state.WriteStateAsync();
        }

        if (await this.GetReminder(KeepAlive) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        // A finished experiment need not stay in memory: thousands of them would.
        DeactivateOnIdle();
    }

    /// <summary>Runs the current stage; returns the verdict when the stage failed.</summary>
    private async Task<Verdict?> StepAsync(KernelDefinition kernel, ExperimentSpec spec) => S.Stage switch
    {
        ExperimentStage.Pending => null,
        ExperimentStage.Generate => await GenerateAsync(kernel, spec),
        ExperimentStage.Extract => Extract(kernel, spec),
        ExperimentStage.Build => await BuildAsync(kernel, spec),
        ExperimentStage.Run => await RunAsync(kernel, spec),
        ExperimentStage.Verify => Verify(kernel),
        ExperimentStage.Amplify => await AmplifyAsync(kernel, spec),
        ExperimentStage.Sanitize => await SanitizeAsync(kernel, spec),
        ExperimentStage.Repair => null,
        ExperimentStage.Record => await RecordAsync(spec),
        _ => null,
    };

    private async Task<Verdict?> GenerateAsync(KernelDefinition kernel, ExperimentSpec spec)
    {
        if (S.Conversation.Count == 0)
        {
            S.Conversation.AddRange(PromptLibrary.Render(spec.Template ?? PromptLibrary.Default, kernel, spec.Technology, await PromptContextAsync(kernel)));
            S.PromptHash = PromptLibrary.Hash(S.Conversation);
        }

        // A cross-model repair: after the first round, another model answers the feedback.
        var model = S.Round > 0 && spec.RepairModel is { } repairer ? repairer : spec.Model;
        using var activity = GrainsInstrumentation.Source.StartActivity("generate");
        activity?.SetTag("kernelsmith.model", model.Id);
        ModelAnswer answer;
        try
        {
            answer = await models.CompleteAsync(new ModelRequest(spec, model, kernel, S.Conversation, S.Round), spec.UseCache, CancellationToken.None);
        }
        catch (BudgetExhaustedException e)
        {
            return Fail(Verdict.InfraError, e.Message, "");
        }

        activity?.SetTag("kernelsmith.cached", answer.Cached);
        S.Answer = answer.Text;
        S.Tokens = S.Tokens.Add(answer.Tokens);
        S.CostUsd = answer.CostUsd is { } cost ? (S.CostUsd ?? 0) + cost : S.CostUsd;
        S.Conversation.Add(ChatTurn.Assistant(answer.Text));
        return null;
    }

    private Verdict? Extract(KernelDefinition kernel, ExperimentSpec spec)
    {
        var suggestions = spec.Template?.Suggestions ?? 1;
        if (spec.Technology == Technologies.Auto)
        {
            S.ChosenTechnology = TechnologyDetector.Detect(S.Answer, kernel.Technologies);
            if (S.ChosenTechnology is null)
            {
                return Fail(Verdict.NoCode, $"the answer does not say or show which of {string.Join(", ", kernel.Technologies)} it uses",
                    $"Start your answer with a line \"Technology: <name>\" naming one of {string.Join(", ", kernel.Technologies)}.");
            }
        }

        var extraction = CodeExtractor.Extract(S.Answer, Technology, kernel.Language, spec.Sample % suggestions, suggestions);
        S.Files = [.. extraction.Files];
        if (extraction.NoCodeReason is { } reason)
        {
            return Fail(Verdict.NoCode, reason, $"No usable program could be taken from your answer: {reason}.");
        }

        // Not a failure of its own: the program may well be correct, but it never counts as a parallel success.
        var parallelism = ParallelismCheck.Check(S.Files, Technology);
        S.Parallel = parallelism.IsParallel;
        S.Findings.AddRange(ErrorTaxonomy.ClassifyParallelism(parallelism));
        return null;
    }

    private async Task<Verdict?> BuildAsync(KernelDefinition kernel, ExperimentSpec spec)
    {
        using var activity = GrainsInstrumentation.Source.StartActivity("build");
        var recipe = BuildRecipe.For(kernel, Technology);
        var agent = await SelectAgentAsync();
        S.AgentId = agent.AgentId;
        var result = await BuildOnAsync(agent, Jobs.Build($"{spec.ExperimentId}/r{S.Round}/build", S.Files, recipe, spec.Run.BuildTimeoutSeconds));
        S.BuildLog = Jobs.Log(result);
        S.Toolchain = result.Toolchain;
        if (result.Status == JobResult.Types.Status.TimedOut)
        {
            return Fail(Verdict.BuildError, $"the build did not finish within {spec.Run.BuildTimeoutSeconds} s", "The compiler did not finish in time.",
                ErrorTaxonomy.ClassifyBuild(JobOutcome.From(result)));
        }

        if (result.Status == JobResult.Types.Status.KilledByLimit)
        {
            return Fail(Verdict.BuildError, $"the build was stopped: {result.Message}", $"The build was stopped: {result.Message}.");
        }

        if (result.ExitCode != 0 || result.Signal != 0)
        {
            return Fail(Verdict.BuildError, FirstErrorLine(S.BuildLog), $"The build failed:\n{Clip(S.BuildLog, 4000)}",
                ErrorTaxonomy.ClassifyBuild(JobOutcome.From(result)));
        }

        S.ArtifactId = result.ArtifactId;
        return null;
    }

    /// <summary>The agent holding this round's artifact; when that agent is gone, the program is built again on another.</summary>
    private async Task<(AgentInfo Agent, Verdict? BuildFailure)> AgentWithArtifactAsync(KernelDefinition kernel, ExperimentSpec spec)
    {
        var agent = await SelectAgentAsync();
        if (agent.AgentId == S.AgentId)
        {
            return (agent, null);
        }

        // The artifact and the reference time belong to the machine that is gone: build again on this one.
        if (await BuildAsync(kernel, spec) is { } buildFailure)
        {
            return (agent, buildFailure);
        }

        return (await SelectAgentAsync(), null);
    }

    private async Task<Verdict?> RunAsync(KernelDefinition kernel, ExperimentSpec spec)
    {
        var (agent, buildFailure) = await AgentWithArtifactAsync(kernel, spec);
        if (buildFailure is not null)
        {
            return buildFailure;
        }

        S.Hardware = agent.Hardware;
        var reference = await ReferenceAsync(kernel, spec.Run.Input, agent.AgentId, spec);
        if (reference.Error is not null)
        {
            return Fail(Verdict.InfraError, reference.Error, "");
        }

        S.Runs = [];
        S.Outputs = [];
        foreach (var (threads, ranks) in Configurations(spec, Technology))
        {
            using var activity = GrainsInstrumentation.Source.StartActivity("run");
            activity?.SetTag("kernelsmith.threads", threads);
            activity?.SetTag("kernelsmith.ranks", ranks);
            // Timed in alternation with the sequential reference on the same cores (docs/measurement.md).
            var jobId = $"{spec.ExperimentId}/r{S.Round}/t{threads}n{ranks}";
            var measured = await measurer.MeasureAsync(agent, spec, kernel, Technology, S.ArtifactId!, reference, threads, ranks, jobId);
            S.Jobs.Add(Span(jobId, "measure", agent, exclusive: true, measured.Result));
            if (measured.ReferenceFailed)
            {
                return Fail(Verdict.InfraError, $"the sequential reference of {kernel.Id} failed while timed beside the candidate: {Jobs.Log(measured.Result)}", "");
            }

            if (RunFailure(measured.Result, $"at {threads} thread(s), {ranks} rank(s)", spec.Run.TimeoutSeconds) is { } failure)
            {
                return failure;
            }

            for (var kept = 0; kept < measured.Outputs.Count; kept++)
            {
                S.Outputs[OutputKey(threads, ranks, kept)] = Jobs.ProducedOutput(measured.Outputs[kept]);
            }

            S.Runs.Add(measured.Measurement!);
            if (S.Runs.Count == 1)
            {
                // The reference's median over the first configuration's pairs: what the record shows as the sequential time.
                S.SequentialSeconds = measured.Measurement!.Timing!.SequentialSeconds;
            }
        }

        S.Outputs["reference"] = reference.Stdout;
        return null;
    }

    /// <summary>An agent for this experiment's technology, in the pools the sweep pinned it to; its current one while alive.</summary>
    private Task<AgentInfo> SelectAgentAsync() =>
        dispatcher.SelectAgentAsync(Technology, S.Spec!.Pools?.GetValueOrDefault(Technology), S.AgentId, CancellationToken.None);

    private async Task<JobResult> BuildOnAsync(AgentInfo agent, BuildJob job)
    {
        var result = await dispatcher.BuildAsync(agent, job, CancellationToken.None);
        S.Jobs.Add(Span(job.JobId, "build", agent, exclusive: false, result));
        return result;
    }

    private async Task<JobResult> RunOnAsync(AgentInfo agent, RunJob job)
    {
        var result = await dispatcher.RunAsync(agent, job, CancellationToken.None);
        S.Jobs.Add(Span(job.JobId, "run", agent, job.Exclusive, result));
        return result;
    }

    private static JobSpan Span(string jobId, string kind, AgentInfo agent, bool exclusive, JobResult result) =>
        new(jobId, kind, agent.AgentId, exclusive, [.. result.Cores], result.QueuedUnixMs, result.StartedUnixMs, result.FinishedUnixMs, result.Cached);

    /// <summary>The verdict of a run that did not exit cleanly, or null when it did.</summary>
    private Verdict? RunFailure(JobResult result, string where, double timeoutSeconds)
    {
        if (result.Status == JobResult.Types.Status.Exited && result.ExitCode == 0 && result.Signal == 0)
        {
            return null;
        }

        S.RunLog = Jobs.Log(result);
        var findings = ErrorTaxonomy.ClassifyRun(JobOutcome.From(result), Technology);
        if ((result.Status == JobResult.Types.Status.TimedOut || result is { Status: JobResult.Types.Status.KilledByLimit, Limit: "cpu" })
            && findings.FirstOrDefault(f => s_mpiErrors.Contains(f.Category)) is { } mpiError)
        {
            // The program failed first: the MPI library reported its error, then its launcher never returned (Open MPI
            // 4.1 sometimes hangs in its abort path). The verdict is the program's error, not a hang of its own.
            return Fail(Verdict.RuntimeError, $"{where}: {mpiError.Category}; mpirun did not exit after the error and was killed at {timeoutSeconds} s",
                $"The program failed {where} with an MPI error ({mpiError.Category}):\n{Clip(S.RunLog, 3000)}", findings);
        }

        if (result.Status == JobResult.Types.Status.TimedOut || result is { Status: JobResult.Types.Status.KilledByLimit, Limit: "cpu" })
        {
            return Fail(Verdict.Timeout, $"{where}: no result within {timeoutSeconds} s; the process tree was killed",
                $"The program did not finish within {timeoutSeconds} seconds {where} (it may loop forever or deadlock).", findings);
        }

        if (result.Status == JobResult.Types.Status.KilledByLimit)
        {
            return Fail(Verdict.RuntimeError, $"{where}: {result.Message}", $"The program was stopped {where}: {result.Message}.\n{Clip(S.RunLog, 2000)}", findings);
        }

        var how = result.Signal != 0 ? $"killed by signal {result.Signal}" : $"exit code {result.ExitCode}";
        return Fail(Verdict.RuntimeError, $"{where}: {how}", $"The program crashed {where} ({how}):\n{Clip(S.RunLog, 3000)}", findings);
    }

    private Verdict? Verify(KernelDefinition kernel)
    {
        using var activity = GrainsInstrumentation.Source.StartActivity("verify");
        var reference = S.Outputs["reference"];
        foreach (var run in S.Runs)
        {
            var where = $"at {run.Threads} thread(s), {run.Ranks} rank(s)";
            var prefix = OutputKey(run.Threads, run.Ranks, 0)[..^1];
            var repetitions = S.Outputs.Where(o => o.Key.StartsWith(prefix, StringComparison.Ordinal)).OrderBy(o => o.Key, StringComparer.Ordinal).Select(o => o.Value).ToList();
            if (OutputMismatch(reference, repetitions, kernel.Compare, where, $"The output {where} differs from the sequential program's") is { } mismatch)
            {
                return mismatch;
            }
        }

        S.Verdict = Verdict.Correct;
        S.Reason = "";
        return null;
    }

    /// <summary>
    /// The wrong-output verdict when the outputs (repetitions of one configuration) differ from the reference or from
    /// each other; the feedback is <paramref name="problem"/> followed by the first difference.
    /// </summary>
    private Verdict? OutputMismatch(string reference, IReadOnlyList<string> outputs, OutputComparison compare, string where, string problem)
    {
        var findings = ErrorTaxonomy.ClassifyOutputs(reference, outputs, compare, where);
        if (findings.Count == 0)
        {
            return null;
        }

        var detail = OutputComparer.Compare(reference, outputs[0], compare).Detail;
        return Fail(Verdict.WrongOutput, $"{where}: {findings[0].Message.Split('\n')[0]}", $"{problem}:\n{(detail.Length > 0 ? detail : findings[0].Message)}", findings);
    }

    /// <summary>
    /// Untimed runs on the kernel's amplified inputs at every configuration, plus odd counts (3 threads; 3 and 5 ranks),
    /// each compared with the sequential program's output on that input. Edge sizes catch uneven partitioning and
    /// programs right only when the count divides the size; other seeds catch hard-coded or copied outputs.
    /// </summary>
    private async Task<Verdict?> AmplifyAsync(KernelDefinition kernel, ExperimentSpec spec)
    {
        if (!(spec.Verify ?? VerifySettings.Default).Amplify || kernel.Amplified.Count == 0)
        {
            return null;
        }

        var (agent, buildFailure) = await AgentWithArtifactAsync(kernel, spec);
        if (buildFailure is not null)
        {
            return buildFailure;
        }

        foreach (var input in kernel.Amplified.Values)
        {
            var reference = await ReferenceAsync(kernel, input.Name, agent.AgentId, spec);
            if (reference.Error is not null)
            {
                return Fail(Verdict.InfraError, reference.Error, "");
            }

            foreach (var (threads, ranks) in AmplifiedConfigurations(spec, Technology))
            {
                using var activity = GrainsInstrumentation.Source.StartActivity("amplify");
                activity?.SetTag("kernelsmith.input", input.Name);
                activity?.SetTag("kernelsmith.threads", threads);
                activity?.SetTag("kernelsmith.ranks", ranks);
                var job = Jobs.Run($"{spec.ExperimentId}/r{S.Round}/{input.Name}/t{threads}n{ranks}", S.ArtifactId!, input, threads, ranks,
                    spec.Run.TimeoutSeconds, exclusive: false, Technology);
                var result = await RunOnAsync(agent, job);
                var where = $"on the amplified input '{input.Name}' (arguments: {string.Join(' ', input.Args)}) at {threads} thread(s), {ranks} rank(s)";
                if (RunFailure(result, where, spec.Run.TimeoutSeconds) is { } failure)
                {
                    return failure;
                }

                var mismatch = OutputMismatch(reference.Stdout, [Jobs.ProducedOutput(result)], kernel.Compare, where,
                    $"The main input's output matched, but the output {where} differs from the sequential program's. Check partitioning when the size is "
                    + "small or not divisible by the thread/rank count, and do not depend on particular input values");
                if (mismatch is not null)
                {
                    S.RunLog = Jobs.Log(result);
                    return mismatch;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Untimed runs of sanitizer builds at the largest configuration: a data race or memory error fails the round
    /// even when the output happened to match. A sanitizer build that fails says nothing about the program.
    /// </summary>
    private async Task<Verdict?> SanitizeAsync(KernelDefinition kernel, ExperimentSpec spec)
    {
        var wanted = (spec.Verify ?? VerifySettings.Default).Sanitizers;
        var sanitizers = BuildRecipe.SanitizersFor(Technology).Where(s => wanted.Contains(s == Sanitizer.Thread ? "thread" : "memory")).ToList();
        if (sanitizers.Count == 0)
        {
            return null;
        }

        var agent = await SelectAgentAsync();
        var (threads, ranks) = Configurations(spec, Technology).Last();
        foreach (var sanitizer in sanitizers)
        {
            using var activity = GrainsInstrumentation.Source.StartActivity("sanitize");
            activity?.SetTag("kernelsmith.sanitizer", sanitizer.ToString());
            var recipe = BuildRecipe.ForSanitizer(kernel, Technology, sanitizer);
            var build = await BuildOnAsync(
                agent, Jobs.Build($"{spec.ExperimentId}/r{S.Round}/{sanitizer}-build", S.Files, recipe, spec.Run.BuildTimeoutSeconds));
            if (build.Status != JobResult.Types.Status.Exited || build.ExitCode != 0)
            {
                S.Findings.Add(new ErrorFinding(FindingStages.Sanitize, ErrorCategories.Other,
                    Clip($"{sanitizer} sanitizer build failed, run skipped: {FirstErrorLine(Jobs.Log(build))}", 2000)));
                continue;
            }

            // The amplified inputs are small and reach the edge cases; a kernel without them is checked on its run input.
            IEnumerable<KernelInput> inputs = kernel.Amplified.Count > 0 ? kernel.Amplified.Values : [kernel.Inputs[spec.Run.Input]];
            foreach (var input in inputs)
            {
                // Sanitizers slow a program down several times; the run is untimed, so it gets a longer limit.
                var job = Jobs.Run($"{spec.ExperimentId}/r{S.Round}/{sanitizer}/{input.Name}", build.ArtifactId, input, threads, ranks,
                    spec.Run.TimeoutSeconds * 10, exclusive: false, Technology);
                job.Environment.Add(recipe.RunEnvironment.ToDictionary());
                job.Wrapper.AddRange(recipe.RunWrapper);
                var result = await RunOnAsync(agent, job);
                if (result.Status == JobResult.Types.Status.Exited && result.ExitCode == 0 && result.Signal == 0)
                {
                    continue;
                }

                S.RunLog = Jobs.Log(result);
                var findings = ErrorTaxonomy.ClassifyRun(JobOutcome.From(result), Technology, FindingStages.Sanitize);
                var where = $"on input '{input.Name}' at {threads} thread(s), {ranks} rank(s)";
                return Fail(Verdict.RuntimeError, $"{sanitizer} sanitizer {where}: {findings.FirstOrDefault()?.Category ?? "the run failed"}",
                    $"Your program printed the right output, but a {sanitizer} sanitizer run {where} found a problem:\n{Clip(S.RunLog, 3000)}", findings);
            }
        }

        return null;
    }

    private Task<ReferenceResult> ReferenceAsync(KernelDefinition kernel, string input, string agentId, ExperimentSpec spec) =>
        GrainFactory.GetGrain<IReferenceGrain>(ReferenceGrain.Key(kernel, input, agentId))
            .GetAsync(kernel, input, agentId, spec.Run.Repetitions, spec.Run.TimeoutSeconds);

    /// <summary>Errors an MPI library reports about a program's call: the program failed, whatever its launcher did next.</summary>
    private static readonly HashSet<string> s_mpiErrors =
    [
        ErrorCategories.MpiInvalidRank, ErrorCategories.MpiInvalidCommunicator, ErrorCategories.MpiInvalidCount,
        ErrorCategories.MpiTruncate, ErrorCategories.MpiError, ErrorCategories.MpiAbort,
    ];

    private static string OutputKey(int threads, int ranks, int repetition) => $"{threads}x{ranks}#{repetition}";

    private async Task<Verdict?> RecordAsync(ExperimentSpec spec)
    {
        var best = S.Verdict == Verdict.Correct ? S.Runs.MaxBy(r => r.Speedup) : null;
        var record = new ExperimentRecord(
            spec.ExperimentId,
            spec.SweepId,
            spec.Kernel,
            spec.Model.DisplayName,
            Technology,
            spec.Prompt,
            spec.Sample,
            S.Verdict ?? Verdict.InfraError,
            S.Reason,
            S.Round + 1,
            S.SequentialSeconds,
            S.Runs,
            best?.Speedup,
            best is null ? null : Technology == Technologies.Mpi ? best.Ranks : best.Threads,
            S.Findings,
            S.Tokens,
            S.TraceId,
            new Provenance(
                spec.Model.IsSimulated,
                spec.Model.Provider,
                ModelParameters(spec.Model),
                S.PromptHash,
                S.KernelHash,
                spec.Run.Input,
                S.AgentId ?? "",
                S.Toolchain,
                S.Hardware),
            S.Attempts)
        {
            CostUsd = S.CostUsd,
            ExpertSpeedup = S.Runs.Max(r => r.ExpertSpeedup),
            Parallel = S.Parallel,
            TechnologyChosenByModel = spec.Technology == Technologies.Auto,
            Jobs = S.Jobs,
        };
        await GrainFactory.GetGrain<ISweepGrain>(spec.SweepId).RecordAsync(record);
        ExperimentTrace.Recorded(record);
        return null;
    }

    /// <summary>
    /// Ends the round with a verdict. The classified findings (the taxonomy) are kept with their raw messages and
    /// summarised at the top of the feedback; without any, the verdict itself is the finding.
    /// </summary>
    private Verdict Fail(Verdict verdict, string reason, string feedback, IReadOnlyList<ErrorFinding>? findings = null)
    {
        S.Verdict = verdict;
        S.Reason = reason;
        if (findings is { Count: > 0 })
        {
            S.Findings.AddRange(findings);
            S.Feedback = $"{RepairFeedback.Describe(findings)}\n\n{feedback}";
        }
        else
        {
            S.Findings.Add(new ErrorFinding(S.Stage.ToString().ToLowerInvariant(), verdict.ToWireName(), Clip(reason, 2000)));
            S.Feedback = feedback;
        }

        ExperimentTrace.Failed(verdict, reason);
        return verdict;
    }

    private void CloseRound() => S.Attempts.Add(new Attempt(
        S.Round,
        S.Conversation.LastOrDefault(t => t.Role == "user")?.Content ?? "",
        S.Answer,
        S.Files,
        Clip(S.BuildLog, 20_000),
        Clip(S.RunLog, 20_000),
        S.Verdict ?? Verdict.InfraError,
        S.Feedback));

    /// <summary>What templates may mention about the target: a live agent's hardware and the technologies it offers.</summary>
    private async Task<PromptContext> PromptContextAsync(KernelDefinition kernel)
    {
        var agents = await GrainFactory.GetGrain<IAgentRegistryGrain>(0).GetLiveAgentsAsync();
        var pools = S.Spec!.Pools?.GetValueOrDefault(S.Spec.Technology);
        var target = agents.FirstOrDefault(a => (S.Spec.Technology == Technologies.Auto || a.Technologies.Contains(S.Spec.Technology))
            && (pools is not { Count: > 0 } || pools.Contains(a.Pool)));
        var offered = agents.SelectMany(a => a.Technologies).ToHashSet();
        return new PromptContext(
            target is null ? "unknown" : $"{target.Hardware}; {target.Toolchain}",
            kernel.Technologies.Where(offered.Contains).ToList());
    }

    /// <summary>
    /// Failures that are nobody's program: an agent or endpoint gone, or a grain call that failed because its silo
    /// died (rejected, unreachable or unanswered until the cluster notices and places the grain elsewhere).
    /// </summary>
    private static bool IsInfra(Exception e) =>
        e is AgentUnavailableException or ModelUnavailableException or OrleansMessageRejectionException or SiloUnavailableException or TimeoutException;

    private static IEnumerable<(int Threads, int Ranks)> Configurations(ExperimentSpec spec, string technology) => technology switch
    {
        Technologies.Mpi => spec.Run.Ranks.Select(r => (1, r)),
        Technologies.Cuda => [(1, 1)],
        _ => spec.Run.Threads.Select(t => (t, 1)),
    };

    /// <summary>The timed configurations plus odd counts that divide few sizes: 3 threads, or 3 and 5 ranks.</summary>
    private static IEnumerable<(int Threads, int Ranks)> AmplifiedConfigurations(ExperimentSpec spec, string technology) => technology switch
    {
        Technologies.Mpi => spec.Run.Ranks.Union([3, 5]).Order().Select(r => (1, r)),
        Technologies.Cuda => [(1, 1)],
        _ => spec.Run.Threads.Union([3]).Order().Select(t => (t, 1)),
    };

    private static Dictionary<string, string> ModelParameters(ModelSpec model)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(string name, object? value)
        {
            if (value is not null)
            {
                parameters[name] = Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!;
            }
        }

        Add("behaviour", model.Behaviour);
        Add("model", model.Model);
        Add("endpoint", model.Endpoint);
        Add("temperature", model.Temperature);
        Add("top_p", model.TopP);
        Add("max_tokens", model.MaxTokens);
        Add("seed", model.Seed);
        return parameters;
    }

    private static string FirstErrorLine(string log) =>
        Clip(log.Split('\n').FirstOrDefault(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)) ?? log.Split('\n')[0], 300);

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max] + "\n[clipped]";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Experiment {ExperimentId} retries stage {Stage} (attempt {Attempt}): {Problem}")]
    private partial void LogStepRetried(string experimentId, ExperimentStage stage, int attempt, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Experiment {ExperimentId} crashed in stage {Stage}")]
    private partial void LogStepCrashed(Exception exception, string experimentId, ExperimentStage stage);
}

/// <summary>Names of the grain storage providers each host must configure.</summary>
public static class StorageNames
{
    public const string Experiments = "experiments";
    public const string Sweeps = "sweeps";
}
