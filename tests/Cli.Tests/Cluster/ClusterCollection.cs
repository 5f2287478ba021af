namespace Kernelsmith.Cli.Tests.Cluster;

/// <summary>
/// The tests that share one real cluster: they run one after another (each restores what it killed), and never beside
/// another cluster on the same cores.
/// </summary>
[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
