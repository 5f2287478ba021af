namespace Kernelsmith.Contracts.Experiments;

/// <summary>One experiment's durable state machine: generate, extract, build, run, verify, repair, record.</summary>
public interface IExperimentGrain : IGrainWithStringKey
{
    /// <summary>Starts (or resumes) the experiment and returns at once; the work goes on in the grain.</summary>
    Task StartAsync(ExperimentSpec spec);

    /// <summary>
    /// The sweep was cancelled: the experiment confirms it with the sweep and stops before its next step, keeping its
    /// state. The sweep pushes this to its active experiments, so none has to ask at every step.
    /// </summary>
    [Orleans.Concurrency.OneWay]
    Task StopAsync();

    /// <summary>The sweep's budget is used up: the experiment makes no further model call (its generate step records infra_error).</summary>
    Task BudgetExhaustedAsync();

    /// <summary>Returns the stage the experiment has reached.</summary>
    Task<ExperimentStage> GetStageAsync();
}
