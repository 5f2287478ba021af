using Kernelsmith.Agents.Node.Execution;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Jobs;

/// <summary>
/// Where a job's progress goes while <see cref="JobRunner"/> works on it: queued for cores, started on them, then the
/// program's output and resource samples. The gRPC edge streams them; tests collect them.
/// </summary>
public interface IJobProgress
{
    ValueTask QueuedAsync(int coresRequested, bool exclusive, DateTimeOffset queued);

    ValueTask StartedAsync(IReadOnlyList<int> cores, DateTimeOffset started);

    ValueTask OutputAsync(bool isStderr, ReadOnlyMemory<byte> data);

    /// <summary>A resource sample of the running job, with its GPU's when it holds one.</summary>
    ValueTask UsageAsync(ResourceUsage usage, GpuSample? gpu);
}
