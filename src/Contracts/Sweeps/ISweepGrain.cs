using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Kernels;
using Orleans.Concurrency;

namespace Kernelsmith.Contracts.Sweeps;

/// <summary>
/// A sweep: expands its spec into experiments, keeps a bounded window of them active (starting the next as each
/// records), and collects their final records, once each. It pushes a cancel and the end of its budget to its active
/// experiments; what they ask of it (where it stands, once per drive and when a stop was pushed) interleaves with the
/// rest, so a sweep busy recording does not hold its experiments up.
/// </summary>
public interface ISweepGrain : IGrainWithStringKey
{
    /// <summary>Starts the sweep; starting it again with the same spec is a no-op.</summary>
    Task StartAsync(SweepSpec spec, IReadOnlyList<KernelDefinition> kernels);

    /// <summary>
    /// Starts the sweep with experiments already recorded elsewhere (an interrupted embedded run's results directory):
    /// they are recorded first, in the order given, and never run again. Once the sweep has started they are ignored.
    /// </summary>
    Task StartWithRecordsAsync(SweepSpec spec, IReadOnlyList<KernelDefinition> kernels, IReadOnlyList<ExperimentRecord> recorded);

    /// <summary>Records an experiment's final record (without its attempts, which are in the attempt store); a second report of the same experiment is ignored.</summary>
    Task<bool> RecordAsync(ExperimentRecord record);

    /// <summary>
    /// Counts what a model call spent; false once the sweep's budget is used up. The call that uses it up returns once
    /// every active experiment has been told (<c>IExperimentGrain.BudgetExhaustedAsync</c>), so none starts another call.
    /// It interleaves with recording: the caller holds a model slot until it returns, and must not wait behind records.
    /// </summary>
    [AlwaysInterleave]
    Task<bool> ChargeAsync(TokenUsage tokens, double costUsd);

    /// <summary>Stops the sweep: experiments stop at their next step, keeping their state; nothing recorded is lost.</summary>
    Task CancelAsync();

    /// <summary>Resumes a cancelled sweep: unrecorded experiments continue from the step they had reached.</summary>
    Task ResumeAsync();

    /// <summary>Whether the sweep is cancelled and its budget used up: an experiment asks when it starts driving and when a stop was pushed to it.</summary>
    [AlwaysInterleave]
    Task<SweepStanding> GetStandingAsync();

    /// <summary>Returns counts of experiments: in all, recorded, active in the admission window, and by verdict.</summary>
    [AlwaysInterleave]
    Task<SweepProgress> GetProgressAsync();

    /// <summary>Returns final records in recording order, starting at <paramref name="from"/>.</summary>
    Task<IReadOnlyList<ExperimentRecord>> GetRecordsAsync(int from, int max);
}
