using System.Diagnostics;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Telemetry;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Kernelsmith.Grains.Experiments;

/// <summary>
/// Keeps one <see cref="Experiment"/> going: loads it, has <see cref="ExperimentSteps"/> take its current step, persists
/// it after every step, and waits between retries. <see cref="StartAsync"/> returns at once; one drive per activation
/// runs the steps on the grain's scheduler. Nothing awaits that drive, so no fault escapes it: the steps log theirs,
/// and a fault between steps (the sweep or storage failing) is logged here and ends the drive, which the keep-alive
/// reminder starts again from the last persisted step.
/// </summary>
public sealed partial class ExperimentGrain(
    [PersistentState(ExperimentState.StateName, StorageNames.Experiments)] IPersistentState<ExperimentState> state,
    ExperimentSteps steps,
    ILogger<ExperimentGrain> logger) : Grain, IExperimentGrain, IRemindable
{
    private const string KeepAlive = "keep-alive";

    /// <summary>How often an unfinished experiment is woken up, wherever it lives after a silo died.</summary>
    public static readonly TimeSpan KeepAlivePeriod = TimeSpan.FromSeconds(15);

    private Task? _driving;

    /// <summary>The keep-alive reminder as this activation registered it (null when an earlier activation did).</summary>
    private IGrainReminder? _keepAlive;

    /// <summary>The sweep said it was cancelled, or this drive has not asked yet: the next step first asks where the sweep stands.</summary>
    private bool _askSweep;

    /// <summary>The sweep said its budget is used up (pushed, or found when asked): no further model call is made.</summary>
    private bool _budgetExhausted;

    private Experiment? Current => state.State.Experiment;

    public async Task StartAsync(ExperimentSpec spec)
    {
        _askSweep = false;
        if (state.State.Recorded)
        {
            return;
        }

        if (Current is null)
        {
            // The caller's span (the sweep's) is where the experiment's own trace links back to.
            state.State.Experiment = Experiment.Start(spec, Activity.Current?.Id ?? "");
            await state.WriteStateAsync();
        }

        if (!Current!.IsDone)
        {
            _keepAlive = await this.RegisterOrUpdateReminder(KeepAlive, KeepAlivePeriod, KeepAlivePeriod);
            Drive();
        }
    }

    public Task StopAsync()
    {
        _askSweep = true;
        return Task.CompletedTask;
    }

    public Task BudgetExhaustedAsync()
    {
        _budgetExhausted = true;
        return Task.CompletedTask;
    }

    public Task<ExperimentStage> GetStageAsync() =>
        Task.FromResult(state.State.Recorded ? ExperimentStage.Done : Current?.Stage ?? ExperimentStage.Pending);

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (Current is null or { IsDone: true })
        {
            await StopRemindingAsync();
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

    /// <summary>Takes steps until the experiment is done or its sweep cancelled; never throws.</summary>
    private async Task DriveAsync()
    {
        var experiment = Current!;
        try
        {
            using var trace = ExperimentTrace.Start(experiment);
            var sweep = GrainFactory.GetGrain<ISweepGrain>(experiment.Spec.SweepId);
            var kernel = await GrainFactory.GetGrain<IKernelGrain>(experiment.Spec.KernelKey
                ?? throw new InvalidOperationException("the experiment's spec names no kernel key (it was started by an earlier version)")).GetAsync();
            state.State.Experiment = experiment = experiment with { KernelHash = kernel.ContentHash, Trace = trace.Ids };
            // Asked once per drive (a new activation may start after a cancel or the budget's end was pushed); after that the sweep pushes both.
            _askSweep = true;
            while (!experiment.IsDone)
            {
                DelayDeactivation(TimeSpan.FromMinutes(30));
                // Cancelled: the state stays; a resume (or the reminder after one) continues from here. A stop pushed
                // before a resume overtook it is stale: the sweep says so, and the experiment goes on.
                if (_askSweep && experiment.Stage != ExperimentStage.Record)
                {
                    _askSweep = false;
                    var standing = await sweep.GetStandingAsync();
                    _budgetExhausted |= standing.BudgetExhausted;
                    if (standing.Cancelled)
                    {
                        return;
                    }
                }

                if (await steps.StepAsync(experiment, kernel, GrainFactory, () => !_budgetExhausted) is not { } next)
                {
                    // The record could not be delivered: it stays at Record until the sweep starts the experiment again.
                    state.State.Experiment = experiment with { Retries = 0 };
                    await state.WriteStateAsync();
                    await StopRemindingAsync();
                    return;
                }

                state.State.Experiment = experiment = next;
                trace.Moved(experiment);
                if (experiment.IsDone)
                {
                    // Recorded: the record is in the sweep's pages and the attempts in the attempt store; only the mark stays.
                    state.State = new ExperimentState { Recorded = true };
                }

                await state.WriteStateAsync();
                if (experiment.Retries > 0)
                {
                    await Task.Delay(ExperimentSteps.Backoff(experiment.Retries));
                }
            }

            await StopRemindingAsync();
            // A finished experiment need not stay in memory: thousands of them would.
            DeactivateOnIdle();
        }
        catch (Exception e)
        {
            LogDriveFailed(e, experiment.Spec.ExperimentId, experiment.Stage);
            if (e is InconsistentStateException)
            {
                // Another activation wrote the state: this one's copy is stale.
                DeactivateOnIdle();
            }
        }
    }

    private async Task StopRemindingAsync()
    {
        if ((_keepAlive ?? await this.GetReminder(KeepAlive)) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
            _keepAlive = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Experiment {ExperimentId} stopped in stage {Stage}; the keep-alive reminder starts it again from the last persisted step")]
    private partial void LogDriveFailed(Exception exception, string experimentId, ExperimentStage stage);
}
