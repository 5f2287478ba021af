using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Experiments;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Telemetry;
using Microsoft.Extensions.Logging;

namespace Kernelsmith.Grains.Sweeps;

/// <summary>
/// Expands a sweep into experiments and keeps at most a window of them active, starting the next as each records, so
/// a sweep of 10,000 experiments never holds 10,000 grains. The window refills from persisted state after a silo died
/// or a resume (a reminder wakes the sweep): experiments admitted and not recorded are started again, which is
/// idempotent. Each final record is collected once.
/// </summary>
public sealed partial class SweepGrain(
    [PersistentState("sweep", StorageNames.Sweeps)] IPersistentState<SweepState> state,
    TimeProvider clock,
    ILogger<SweepGrain> logger) : Grain, ISweepGrain, IRemindable
{
    private const string Refill = "refill";
    /// <summary>The backstop for experiments whose start failed (their silo or Redis gone): they are started again this often.</summary>
    private static readonly TimeSpan s_refillPeriod = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan s_agentsRefresh = TimeSpan.FromSeconds(30);
    /// <summary>How long the sweep waits for one experiment to take note that the budget is used up.</summary>
    private static readonly TimeSpan s_budgetNotice = TimeSpan.FromSeconds(5);

    /// <summary>The default window: each model's concurrent calls four times over, and two per agent core.</summary>
    private const int CallsPerModelSlot = 4;
    private const int ExperimentsPerCore = 2;
    private const int MinWindow = 16;

    private List<ExperimentSpec> _experiments = [];
    private Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private IReadOnlyList<string> _technologies = [];
    private int _active;
    private (IReadOnlyList<AgentInfo> Live, DateTimeOffset At)? _agents;

    private SweepState S => state.State;

    private string Id => this.GetPrimaryKeyString();

    private bool Finished => S.Spec is not null && S.Recorded == _experiments.Count;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Index();
        return Task.CompletedTask;
    }

    public Task StartAsync(SweepSpec spec, IReadOnlyList<KernelDefinition> kernels) => StartWithRecordsAsync(spec, kernels, []);

    public async Task StartWithRecordsAsync(SweepSpec spec, IReadOnlyList<KernelDefinition> kernels, IReadOnlyList<ExperimentRecord> recorded)
    {
        if (S.Spec is null)
        {
            // Stored by content before the sweep's own state names them: an experiment never looks for a kernel not there.
            var kept = kernels.ToDictionary(k => k.Id, SweepKernel.Of);
            await Task.WhenAll(kernels.Select(k => GrainFactory.GetGrain<IKernelGrain>(kept[k.Id].Key).StoreAsync(k)));
            S.Spec = spec;
            S.Kernels = kept;
            S.RecordedBits = new byte[(SweepExpansion.Expand(Id, spec, S.Kernels).Count + 7) / 8];
            Index();
            await KeepRecordedAsync(recorded);
            await state.WriteStateAsync();
        }
        else if (S.Spec != spec && !SameSpec(S.Spec, spec))
        {
            throw new InvalidOperationException($"sweep '{Id}' was already started with a different spec");
        }

        if (!S.Cancelled && !Finished)
        {
            await this.RegisterOrUpdateReminder(Refill, s_refillPeriod, s_refillPeriod);
            await RestartAndFillAsync();
        }
    }

    /// <summary>Counts records made before this sweep started (in the same order), each once, before any experiment runs.</summary>
    private async Task KeepRecordedAsync(IReadOnlyList<ExperimentRecord> recorded)
    {
        foreach (var record in recorded)
        {
            if (!_index.TryGetValue(record.Experiment, out var index))
            {
                throw new ArgumentException($"sweep '{Id}' has no experiment '{record.Experiment}'", nameof(recorded));
            }

            if (!IsRecorded(index))
            {
                var sequence = S.Recorded;
                await GrainFactory.GetGrain<ISweepRecordsGrain>(SweepRecordsGrain.Key(Id, sequence)).PutAsync(sequence, record with { Attempts = [] });
                Count(index, record.Verdict, +1);
                // What they spent counts against the budget, as if they had run in this sweep.
                S.TokensSpent += record.Tokens is { } tokens ? tokens.Input + tokens.Output : 0;
                S.CostSpent += record.CostUsd ?? 0;
            }
        }
    }

    public async Task CancelAsync()
    {
        S.Cancelled = true;
        await state.WriteStateAsync();
        // Pushed, not polled: each active experiment stops before its next step (one that misses this, its silo gone,
        // asks the sweep when its reminder starts it again).
        foreach (var experiment in Active())
        {
            _ = GrainFactory.GetGrain<IExperimentGrain>(experiment.ExperimentId).StopAsync();
        }
    }

    public async Task ResumeAsync()
    {
        S.Cancelled = false;
        await state.WriteStateAsync();
        if (!Finished)
        {
            await this.RegisterOrUpdateReminder(Refill, s_refillPeriod, s_refillPeriod);
            await RestartAndFillAsync();
        }
    }

    public Task<SweepStanding> GetStandingAsync() => Task.FromResult(new SweepStanding(S.Cancelled, !WithinBudget()));

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (S.Spec is null || S.Cancelled || Finished)
        {
            await StopRemindingAsync();
            return;
        }

        await RestartAndFillAsync();
    }

    public async Task<bool> RecordAsync(ExperimentRecord record)
    {
        if (!_index.TryGetValue(record.Experiment, out var index))
        {
            throw new ArgumentException($"sweep '{Id}' has no experiment '{record.Experiment}'", nameof(record));
        }

        if (IsRecorded(index))
        {
            return false;
        }

        // The compact record (its attempts are in the attempt store). The page stores it first: a record stored and not
        // yet counted is stored again under the same number.
        var sequence = S.Recorded;
        await GrainFactory.GetGrain<ISweepRecordsGrain>(SweepRecordsGrain.Key(Id, sequence)).PutAsync(sequence, record);
        Count(index, record.Verdict, +1);
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Not persisted: the experiment reports again, and must not find it recorded.
            Count(index, record.Verdict, -1);
            throw;
        }

        if (Finished)
        {
            await StopRemindingAsync();
        }
        else if (!S.Cancelled)
        {
            await FillAsync();
        }

        return true;
    }

    public async Task<bool> ChargeAsync(TokenUsage tokens, double costUsd)
    {
        var wasWithin = WithinBudget();
        S.TokensSpent += tokens.Input + tokens.Output;
        S.CostSpent += costUsd;
        await state.WriteStateAsync();
        if (wasWithin && !WithinBudget())
        {
            // Pushed, and waited for: when the call that used the budget up gives its model slot back, no experiment
            // waiting for that slot still believes there is budget. One whose silo is gone asks when it starts again.
            await Task.WhenAll(Active().Select(e => TellAsync(GrainFactory.GetGrain<IExperimentGrain>(e.ExperimentId))));
        }

        return WithinBudget();

        async Task TellAsync(IExperimentGrain experiment)
        {
            try
            {
                await experiment.BudgetExhaustedAsync().WaitAsync(s_budgetNotice);
            }
            catch (Exception e)
            {
                LogBudgetNoticeFailed(Id, experiment.GetPrimaryKeyString(), e.Message);
            }
        }
    }

    private bool WithinBudget() => S.Spec?.Budget is not { } budget || budget.Allows(S.CostSpent, S.TokensSpent);

    public async Task<SweepProgress> GetProgressAsync() => new SweepProgress(
        Id, _experiments.Count, S.Recorded, _active, new Dictionary<Verdict, int>(S.ByVerdict), S.Cancelled)
    {
        Waiting = S.Spec is null || S.Cancelled || Finished
            ? []
            : await WaitingForAsync(),
    };

    /// <summary>What the sweep needs that no live agent offers: a technology, or room for its thread and rank counts.</summary>
    private async Task<IReadOnlyList<string>> WaitingForAsync()
    {
        var agents = await LiveAgentsAsync();
        return [.. SweepAdmission.Unserved(S.Spec!, _technologies, agents), .. SweepAdmission.Unhonoured(S.Spec!, _technologies, agents)];
    }

    public async Task<IReadOnlyList<ExperimentRecord>> GetRecordsAsync(int from, int max)
    {
        var records = new List<ExperimentRecord>();
        var end = (int)Math.Min(S.Recorded, (long)Math.Max(0, from) + Math.Max(0, max));
        for (var next = Math.Max(0, from); next < end;)
        {
            var page = await GrainFactory.GetGrain<ISweepRecordsGrain>(SweepRecordsGrain.Key(Id, next)).GetAsync(next, end - next);
            if (page.Count == 0)
            {
                throw new InvalidOperationException($"sweep '{Id}' counts {S.Recorded} records, but its page holding record {next} is empty");
            }

            records.AddRange(page);
            next += page.Count;
        }

        return records;
    }

    /// <summary>Starts the admitted experiments not yet recorded (a no-op for those running), then fills the window.</summary>
    private async Task RestartAndFillAsync()
    {
        using var activity = GrainsInstrumentation.StartSweep(Id, _experiments.Count);
        await StartExperimentsAsync([.. Active()]);
        await FillAsync();
    }

    /// <summary>
    /// Admits experiments until the window is full. The window's new end is written before any of them starts, so after
    /// a crash they are started again from the persisted state, never skipped.
    /// </summary>
    private async Task FillAsync()
    {
        var window = await WindowAsync();
        var admitted = new List<ExperimentSpec>();
        while (_active < window && S.Started < _experiments.Count)
        {
            var index = S.Started++;
            if (!IsRecorded(index))
            {
                admitted.Add(_experiments[index]);
                _active++;
            }
        }

        if (admitted.Count > 0)
        {
            await state.WriteStateAsync();
            await StartExperimentsAsync(admitted);
        }
    }

    /// <summary>
    /// Starts the experiments without waiting for them: a start sent to a silo that has just died goes unanswered until
    /// the cluster declares it dead, and the sweep must go on recording meanwhile. They are admitted and persisted as
    /// such, so a start that failed is repeated by the refill reminder.
    /// </summary>
    private Task StartExperimentsAsync(IReadOnlyList<ExperimentSpec> experiments)
    {
        _ = StartAllAsync();
        return Task.CompletedTask;

        async Task StartAllAsync()
        {
            try
            {
                await Task.WhenAll(experiments.Select(e => GrainFactory.GetGrain<IExperimentGrain>(e.ExperimentId).StartAsync(e)));
            }
            catch (Exception e)
            {
                LogStartFailed(Id, experiments.Count, e.Message);
            }
        }
    }

    /// <summary>The spec's <c>max_active</c>, or enough to keep every model's slots and every live agent core busy.</summary>
    private async Task<int> WindowAsync()
    {
        if (S.Spec!.MaxActive is { } max)
        {
            return max;
        }

        var cores = (await LiveAgentsAsync()).Sum(a => a.Cores);
        return Math.Max(MinWindow, CallsPerModelSlot * S.Spec.Models.Sum(m => m.EffectiveLimits.Concurrency) + ExperimentsPerCore * cores);
    }

    /// <summary>The live agents, asked of the registry at most every <see cref="s_agentsRefresh"/>.</summary>
    private async Task<IReadOnlyList<AgentInfo>> LiveAgentsAsync()
    {
        var now = clock.GetUtcNow();
        if (_agents is not { } agents || now - agents.At > s_agentsRefresh)
        {
            _agents = agents = (await GrainFactory.GetGrain<IAgentRegistryGrain>(0).GetLiveAgentsAsync(), now);
        }

        return agents.Live;
    }

    private async Task StopRemindingAsync()
    {
        if (await this.GetReminder(Refill) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>Expands the experiments again (they are not persisted) and counts the active ones.</summary>
    private void Index()
    {
        _experiments = S.Spec is null ? [] : SweepExpansion.Expand(Id, S.Spec, S.Kernels);
        if (S.RecordedBits.Length * 8 < _experiments.Count)
        {
            throw new InvalidOperationException(
                $"sweep '{Id}' was stored by an earlier version of Kernelsmith (its records inside the sweep's state); fetch its results with that version");
        }

        _index = _experiments.Select((e, i) => (e.ExperimentId, i)).ToDictionary(p => p.ExperimentId, p => p.i, StringComparer.Ordinal);
        _technologies = [.. _experiments.Select(e => e.Technology).Distinct()];
        _active = Active().Count();
    }

    /// <summary>The experiments admitted and not yet recorded: those running, or to be started again.</summary>
    private IEnumerable<ExperimentSpec> Active() =>
        Enumerable.Range(0, Math.Min(S.Started, _experiments.Count)).Where(i => !IsRecorded(i)).Select(i => _experiments[i]);

    private bool IsRecorded(int index) => (S.RecordedBits[index / 8] & (1 << (index % 8))) != 0;

    private void Count(int index, Verdict verdict, int change)
    {
        S.RecordedBits[index / 8] ^= (byte)(1 << (index % 8));
        S.Recorded += change;
        S.ByVerdict[verdict] = S.ByVerdict.GetValueOrDefault(verdict) + change;
        if (index < S.Started)
        {
            _active -= change;
        }
    }

    private static bool SameSpec(SweepSpec a, SweepSpec b) =>
        a.Name == b.Name && a.Kernels.SequenceEqual(b.Kernels) && a.Technologies.SequenceEqual(b.Technologies)
        && a.Models.SequenceEqual(b.Models) && a.Prompts.SequenceEqual(b.Prompts) && a.Samples == b.Samples;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {SweepId}: experiment {ExperimentId} was not told that the budget is used up (it asks when it starts again): {Problem}")]
    private partial void LogBudgetNoticeFailed(string sweepId, string experimentId, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweep {SweepId}: starting {Count} experiment(s) failed, the refill reminder retries: {Problem}")]
    private partial void LogStartFailed(string sweepId, int count, string problem);
}
