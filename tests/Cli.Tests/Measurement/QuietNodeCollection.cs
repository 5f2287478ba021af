namespace Kernelsmith.Cli.Tests.Measurement;

/// <summary>
/// Tests of measurement itself: they run alone, after every other test, so that what they measure is the protocol on
/// this node and not the suite's other sweeps and clusters starting beside them (docs/measurement.md, a quiet node).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class QuietNodeCollection
{
    public const string Name = "quiet node";
}
