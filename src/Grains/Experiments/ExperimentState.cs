namespace Kernelsmith.Grains.Experiments;

/// <summary>
/// An experiment's persisted state, written after every step so a new activation resumes where the last stopped. It
/// holds the <see cref="Experiments.Experiment"/> value, null until the experiment is started and again once it is
/// recorded: its record is then in the sweep's pages and its attempts in the <see cref="AttemptStore"/>, and only the
/// mark <see cref="Recorded"/> stays, so a late start never runs it again. Stored under the state name
/// <see cref="StateName"/>: state of the earlier format (a mutable bag, under "experiment") is not read.
/// </summary>
[GenerateSerializer, Alias("Kernelsmith.ExperimentState.2")]
public sealed class ExperimentState
{
    public const string StateName = "experiment-rounds";

    [Id(0)] public Experiment? Experiment { get; set; }

    [Id(1)] public bool Recorded { get; set; }
}
