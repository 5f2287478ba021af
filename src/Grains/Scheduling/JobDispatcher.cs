using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Protos;
using Kernelsmith.Contracts.Security;
using Microsoft.Extensions.Options;
using Kernelsmith.Grains.Telemetry;
using Microsoft.Extensions.Logging;

namespace Kernelsmith.Grains.Scheduling;

/// <summary>The agent could not be reached or lost the job: an infrastructure failure, retried elsewhere.</summary>
public sealed class AgentUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Picks agents for jobs and sends them build and run work over gRPC.</summary>
public sealed partial class JobDispatcher(IGrainFactory grains, AgentDirectory directory, IOptions<ClusterTokenOptions> token, ILogger<JobDispatcher> logger)
    : IJobRunner, IDisposable
{
    private static readonly TimeSpan s_agentWait = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<string, GrpcChannel> _channels = new();
    private readonly ConcurrentDictionary<string, int> _inFlight = new();

    public async Task<AgentInfo> SelectAgentAsync(AgentNeeds needs, string? preferred, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        for (var attempt = 0; ; attempt++)
        {
            // The silo's directory first; when no agent there fits, the registry itself at once, then at each change.
            var agents = await directory.LiveAsync(refresh: attempt > 0);
            var able = agents.Where(a => needs.Offers(a) && needs.HasRoom(a)).ToList();
            // An experiment stays on its agent (its artifact and reference time are there); a new one goes to the
            // agent with the least work in flight from this silo per core.
            var chosen = able.FirstOrDefault(a => a.AgentId == preferred)
                ?? able.OrderBy(a => (double)_inFlight.GetValueOrDefault(a.AgentId) / Math.Max(1, a.Cores))
                    .ThenBy(a => a.AgentId, StringComparer.Ordinal).FirstOrDefault();
            if (chosen is not null)
            {
                return chosen;
            }

            if (attempt == 0)
            {
                continue;
            }

            if (deadline.Elapsed > s_agentWait)
            {
                var where = needs.Pools is { Count: > 0 } pools ? $" in pool {string.Join(" or ", pools)}" : "";
                var offering = agents.Where(needs.Offers).ToList();
                throw new AgentUnavailableException(offering.Count > 0
                    ? $"no live agent{where} running {needs.Technology} lets a job start {needs.Processes} processes and threads (agents: {string.Join(", ", offering.Select(a => $"{a.AgentId} at most {a.MaxProcesses}"))})"
                    : $"no live agent{where} can run {needs.Technology} (agents: {(agents.Count == 0 ? "none" : string.Join(", ", agents.Select(a => $"{a.AgentId} in {a.Pool} [{string.Join(",", a.Technologies)}]")))})");
            }

            await directory.ChangedAsync(TimeSpan.FromMilliseconds(500), cancellationToken);
        }
    }

    public Task<JobReport> BuildAsync(AgentInfo agent, BuildRequest job, CancellationToken cancellationToken) =>
        CallAsync(agent, "build", client => client.Build(job.ToProto(), token.Value.Headers(), cancellationToken: cancellationToken), cancellationToken);

    public Task<JobReport> RunAsync(AgentInfo agent, RunRequest job, CancellationToken cancellationToken) =>
        CallAsync(agent, "run", client => client.Run(job.ToProto(), token.Value.Headers(), cancellationToken: cancellationToken), cancellationToken);

    /// <summary>A paired measurement: the agent holds its cores for all of it (minutes, for slow programs and noisy nodes).</summary>
    public Task<JobReport> MeasureAsync(AgentInfo agent, MeasureRequest job, CancellationToken cancellationToken) =>
        CallAsync(agent, "measure", client => client.Measure(job.ToProto(), token.Value.Headers(), cancellationToken: cancellationToken), cancellationToken);

    private async Task<JobReport> CallAsync(
        AgentInfo agent, string kind, Func<NodeAgent.NodeAgentClient, AsyncServerStreamingCall<JobUpdate>> start, CancellationToken cancellationToken)
    {
        var client = new NodeAgent.NodeAgentClient(_channels.GetOrAdd(agent.Address, address => GrpcChannel.ForAddress(address)));
        using var job = JobTelemetry.Start(agent, kind);
        JobResult? result = null;
        _inFlight.AddOrUpdate(agent.AgentId, 1, (_, n) => n + 1);
        try
        {
            using var call = start(client);
            // Read to the end of the stream, not only to the result: leaving early cancels the call, and every job would
            // appear as a cancelled RPC in the traces.
            await foreach (var update in call.ResponseStream.ReadAllAsync(cancellationToken))
            {
                if (update.UpdateCase == JobUpdate.UpdateOneofCase.Started)
                {
                    job.Started();
                }

                if (update.UpdateCase == JobUpdate.UpdateOneofCase.Result)
                {
                    result = update.Result;
                }
            }
        }
        catch (RpcException) when (result is not null)
        {
            // The result arrived before the stream broke: it stands.
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Cancelled || !cancellationToken.IsCancellationRequested)
        {
            LogAgentFailed(agent.AgentId, kind, e.Status.Detail);
            if (e.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Unknown)
            {
                await grains.GetGrain<IAgentRegistryGrain>(0).ReportUnreachableAsync(agent.AgentId);
            }

            throw new AgentUnavailableException($"agent {agent.AgentId} failed during {kind}: {e.Status.StatusCode} {e.Status.Detail}", e);
        }
        finally
        {
            _inFlight.AddOrUpdate(agent.AgentId, 0, (_, n) => n - 1);
        }

        if (result is null)
        {
            throw new AgentUnavailableException($"agent {agent.AgentId} closed the {kind} stream without a result");
        }

        var report = result.ToDomain();
        job.Finished(report);
        if (report.Status == JobStatus.AgentError)
        {
            throw new AgentUnavailableException($"agent {agent.AgentId} could not do the {kind}: {report.Message}");
        }

        return report;
    }

    public void Dispose()
    {
        foreach (var channel in _channels.Values)
        {
            channel.Dispose();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId} failed during {Kind}: {Detail}")]
    private partial void LogAgentFailed(string agentId, string kind, string detail);
}
