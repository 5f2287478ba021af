using Google.Protobuf;
using Grpc.Core;
using Kernelsmith.Agents.Node.Execution;
using Kernelsmith.Agents.Node.Hosting;
using Kernelsmith.Agents.Node.Jobs;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Services;

/// <summary>
/// The agent's gRPC face: hands each build, run and measurement to <see cref="JobRunner"/> and streams it back as
/// queued, started, output and resource samples while it runs, then its result with the job's timeline.
/// </summary>
public sealed class NodeAgentService(JobRunner jobs, AgentIdentity identity) : NodeAgent.NodeAgentBase
{
    public override async Task Build(BuildJob request, IServerStreamWriter<JobUpdate> responseStream, ServerCallContext context) =>
        await responseStream.WriteAsync(new JobUpdate { Result = await jobs.BuildAsync(request, Stream(responseStream), context.CancellationToken) });

    public override async Task Run(RunJob request, IServerStreamWriter<JobUpdate> responseStream, ServerCallContext context) =>
        await responseStream.WriteAsync(new JobUpdate { Result = await jobs.RunAsync(request, Stream(responseStream), context.CancellationToken) });

    public override async Task Measure(MeasureJob request, IServerStreamWriter<JobUpdate> responseStream, ServerCallContext context) =>
        await responseStream.WriteAsync(new JobUpdate { Result = await jobs.MeasureAsync(request, Stream(responseStream), context.CancellationToken) });

    private StreamedProgress Stream(IServerStreamWriter<JobUpdate> stream) => new(stream, identity.AgentId);

    /// <summary>A job's progress as the updates of its gRPC stream.</summary>
    private sealed class StreamedProgress(IServerStreamWriter<JobUpdate> stream, string agentId) : IJobProgress
    {
        public async ValueTask QueuedAsync(int coresRequested, bool exclusive, DateTimeOffset queued) =>
            await stream.WriteAsync(new JobUpdate
            {
                Queued = new JobQueued { CoresRequested = coresRequested, Exclusive = exclusive, QueuedUnixMs = queued.ToUnixTimeMilliseconds() },
            });

        public async ValueTask StartedAsync(IReadOnlyList<int> cores, DateTimeOffset started)
        {
            var update = new JobStarted { AgentId = agentId, StartedUnixMs = started.ToUnixTimeMilliseconds() };
            update.Cores.AddRange(cores);
            await stream.WriteAsync(new JobUpdate { Started = update });
        }

        public async ValueTask OutputAsync(bool isStderr, ReadOnlyMemory<byte> data) =>
            await stream.WriteAsync(new JobUpdate
            {
                Output = new OutputChunk { Stream = isStderr ? OutputChunk.Types.Stream.Stderr : OutputChunk.Types.Stream.Stdout, Data = ByteString.CopyFrom(data.Span) },
            });

        public async ValueTask UsageAsync(ResourceUsage usage, GpuSample? gpu)
        {
            var sample = new ResourceSample
            {
                ElapsedMs = (long)usage.Elapsed.TotalMilliseconds,
                CpuPercent = usage.CpuPercent,
                RssBytes = usage.PrivateBytes,
                Processes = usage.Processes,
                DiskBytes = usage.DiskBytes,
            };
            if (gpu is not null)
            {
                sample.Gpus.Add(gpu);
            }

            await stream.WriteAsync(new JobUpdate { Sample = sample });
        }
    }
}
