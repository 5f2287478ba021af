using Kernelsmith.Grains.Llm;
using Kernelsmith.Grains.Scheduling;
using Orleans.Runtime;

namespace Kernelsmith.Grains.Experiments;

public static class InfraFailures
{
    /// <summary>
    /// Failures that are nobody's program: an agent or endpoint gone, or a grain call that failed because its silo
    /// died (rejected, unreachable or unanswered until the cluster notices and places the grain elsewhere).
    /// </summary>
    public static bool Is(Exception e) =>
        e is AgentUnavailableException or ModelUnavailableException or OrleansMessageRejectionException or SiloUnavailableException or TimeoutException;
}
