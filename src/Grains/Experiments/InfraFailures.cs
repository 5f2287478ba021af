using Kernelsmith.Grains.Cluster;
using Kernelsmith.Grains.Llm;
using Kernelsmith.Grains.Scheduling;

namespace Kernelsmith.Grains.Experiments;

public static class InfraFailures
{
    /// <summary>
    /// Failures that are nobody's program and may persist: an agent or endpoint gone. Failures of the cluster itself
    /// (a silo or Redis gone, <see cref="ClusterFailures"/>) are retried without limit before these are considered.
    /// </summary>
    public static bool Is(Exception e) => e is AgentUnavailableException or ModelUnavailableException;
}
