using System.Text.Json;
using Google.Protobuf;
using Grpc.Core;
using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Protos;
using Kernelsmith.Contracts.Security;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Cluster;
using Kernelsmith.Grains.Experiments;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Llm;
using Kernelsmith.Grains.Sweeps;
using Kernelsmith.Grains.Yaml;
using Kernelsmith.ServiceDefaults.Security;
using Kernelsmith.Silo.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Serialization;

namespace Kernelsmith.Silo.Services;

/// <summary>The public sweep API: the gRPC edge that maps requests to sweep grains.</summary>
public sealed partial class SweepApiService(
    IGrainFactory grains, SweepReads reads, IOptions<SiloOptions> options, IOptions<ModelCredentials> credentials, Serializer serializer, ILogger<SweepApiService> logger)
    : SweepService.SweepServiceBase
{
    // The cadence kernelsmith run polled at before it became a client of this API: records reach the results directory as soon.
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(300);

    /// <summary>Records a watch sends at a time, between status updates.</summary>
    private const int WatchPage = 100;

    /// <summary>
    /// How long a request rides out failures of other silos (the sweep grain's silo killed, Redis restarting) before it
    /// gives up: longer than the cluster takes to declare a killed silo dead and place the grain elsewhere.
    /// </summary>
    private static readonly TimeSpan s_rideOut = TimeSpan.FromMinutes(2);

    public override async Task<SubmitReply> Submit(SubmitRequest request, ServerCallContext context)
    {
        if (!request.Prepared.IsEmpty)
        {
            return await SubmitPreparedAsync(Trusted<PreparedSweep>(request.Prepared, context, "submit a prepared sweep"), context);
        }

        var staging = Directory.CreateTempSubdirectory("kernelsmith-submit-").FullName;
        try
        {
            foreach (var file in request.Files)
            {
                var target = Path.GetFullPath(Path.Combine(staging, file.Path));
                if (!target.StartsWith(staging + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                {
                    throw new RpcException(new Status(StatusCode.InvalidArgument, $"file path '{file.Path}' escapes the submission"));
                }

                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                await File.WriteAllBytesAsync(target, file.Content.ToByteArray(), context.CancellationToken);
            }

            var kernelRoots = options.Value.Kernels.Prepend(Path.Combine(staging, "kernels")).Where(Directory.Exists).ToList();
            var catalog = KernelCatalog.Load(kernelRoots);
            var prompts = PromptLibrary.Load([.. options.Value.Prompts, Path.Combine(staging, "prompts")]);
            var spec = SweepSpecLoader.Parse(string.IsNullOrEmpty(request.SpecName) ? "sweep.yaml" : request.SpecName, request.SpecYaml, catalog, prompts,
                credentials.Value, request.Variables.ToDictionary());
            var kernels = spec.Kernels.Select(id => catalog.TryGet(id, out var kernel) ? kernel : throw new InvalidOperationException(id)).ToList();
            if (await RefusedKeysAsync(spec, context.CancellationToken) is { Count: > 0 } refused)
            {
                throw new RpcException(new Status(StatusCode.FailedPrecondition, $"the sweep was not started, nothing was run or charged: {string.Join("; ", refused)}"));
            }

            var sweepId = SweepIds.For(spec, kernels);
            // Claimed before the sweep starts: a sweep never runs without a submitter who may stop it.
            var owner = await grains.GetGrain<ISweepOwnerGrain>(sweepId).ClaimAsync(ApiCaller.Of(context).Name);
            await reads.ListAsync(SweepEntry.Of(sweepId, spec, owner, DateTimeOffset.UtcNow));
            await grains.GetGrain<ISweepGrain>(sweepId).StartAsync(spec, kernels);
            var progress = await grains.GetGrain<ISweepGrain>(sweepId).GetProgressAsync();
            LogSubmitted(sweepId, progress.Total, ApiCaller.Of(context).Name);
            return new SubmitReply { SweepId = sweepId, Experiments = progress.Total };
        }
        catch (InputFileException e)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, e.Message));
        }
        finally
        {
            Directory.Delete(staging, recursive: true);
        }
    }

    public override async Task Watch(WatchRequest request, IServerStreamWriter<SweepUpdate> responseStream, ServerCallContext context)
    {
        await FindAsync(request.SweepId, context);
        var sent = Math.Max(0, request.From);
        while (!context.CancellationToken.IsCancellationRequested)
        {
            // Records first, then the status counted after them: a status never counts fewer records than were sent before it.
            var page = await RideOutAsync(() => reads.RecordsAsync(request.SweepId, sent, WatchPage), context);
            var progress = await RideOutAsync(() => reads.ProgressAsync(request.SweepId), context);
            foreach (var result in await ToResultsAsync(page, context))
            {
                await responseStream.WriteAsync(new SweepUpdate { Record = result });
                sent++;
            }

            await responseStream.WriteAsync(new SweepUpdate { Status = ToStatus(progress) });

            if (sent >= progress.Total && progress.IsComplete || progress.Cancelled && sent >= progress.Recorded)
            {
                return;
            }

            if (page.Count < WatchPage)
            {
                // Caught up: wait for more. A full page means more are recorded already, and the watch must not fall behind.
                await Task.Delay(s_poll, context.CancellationToken);
            }
        }
    }

    public override async Task<SweepStatus> Status(SweepRef request, ServerCallContext context) =>
        await StatusOfAsync(await FindAsync(request.SweepId, context), request.SweepId, context);

    public override async Task<SweepStatus> Cancel(SweepRef request, ServerCallContext context)
    {
        var sweep = await FindControlledAsync(request.SweepId, context, "cancel");
        await RideOutAsync(async () => { await sweep.CancelAsync(); return true; }, context);
        return await StatusOfAsync(sweep, request.SweepId, context);
    }

    public override async Task<SweepStatus> Resume(SweepRef request, ServerCallContext context)
    {
        var sweep = await FindControlledAsync(request.SweepId, context, "resume");
        await RideOutAsync(async () => { await sweep.ResumeAsync(); return true; }, context);
        return await StatusOfAsync(sweep, request.SweepId, context);
    }

    public override async Task Results(WatchRequest request, IServerStreamWriter<ResultRecord> responseStream, ServerCallContext context)
    {
        await FindAsync(request.SweepId, context);
        for (var from = Math.Max(0, request.From); ; )
        {
            var page = await RideOutAsync(() => reads.RecordsAsync(request.SweepId, from, WatchPage), context);
            if (page.Count == 0)
            {
                return;
            }

            foreach (var result in await ToResultsAsync(page, context))
            {
                await responseStream.WriteAsync(result);
            }

            from += page.Count;
        }
    }

    public override async Task<AgentList> ListAgents(ListAgentsRequest request, ServerCallContext context)
    {
        var list = new AgentList();
        foreach (var agent in await reads.AgentsAsync())
        {
            var summary = new AgentSummary
            {
                AgentId = agent.AgentId,
                Pool = agent.Pool,
                Address = agent.Address,
                Cores = agent.Cores,
                CpuModel = agent.CpuModel,
                MemoryBytes = agent.MemoryBytes,
                LastHeartbeatUnixMs = agent.LastHeartbeat.ToUnixTimeMilliseconds(),
                Hardware = agent.Hardware,
                BusyCores = agent.BusyCores,
                QueuedJobs = agent.QueuedJobs,
                Calibration = agent.Calibration,
                MaxProcesses = agent.MaxProcesses,
            };
            summary.Sanitizers.AddRange(agent.Sanitizers);
            summary.Unavailable.AddRange(agent.Unavailable);
            summary.Technologies.AddRange(agent.Technologies);
            summary.Tools.Add(agent.Tools.ToDictionary());
            list.Agents.Add(summary);
        }

        return list;
    }

    public override async Task<CalibrateReply> Calibrate(CalibrateRequest request, ServerCallContext context)
    {
        var order = Trusted<CalibrationOrder>(request.Order, context, "calibrate an agent");
        try
        {
            var calibration = await grains.GetGrain<ICalibrationGrain>($"{order.AgentId}/{order.Threads}")
                .CalibrateAsync(order.Kernel, order.Run, order.AgentId, order.Threads);
            return new CalibrateReply { Calibration = ByteString.CopyFrom(serializer.SerializeToArray(calibration)) };
        }
        catch (Exception e) when (!ClusterFailures.IsTransient(e) && e is not OperationCanceledException)
        {
            // The measurement failed, not the silo: no other silo would do better.
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"calibrating {order.AgentId} at {order.Threads}: {e.Message}"));
        }
    }

    public override async Task<ReferenceReply> Reference(ReferenceRequest request, ServerCallContext context)
    {
        var order = Trusted<ReferenceOrder>(request.Order, context, "run a kernel's reference");
        var agents = await RideOutAsync(grains.GetGrain<IAgentRegistryGrain>(0).GetLiveAgentsAsync, context);
        var agent = agents.FirstOrDefault(a => a.AgentId == order.AgentId)
            ?? throw new RpcException(new Status(StatusCode.FailedPrecondition, $"agent {order.AgentId} is not registered (agents: {string.Join(", ", agents.Select(a => a.AgentId))})"));
        try
        {
            var reference = await grains.GetGrain<IReferenceGrain>(ReferenceGrain.Key(order.Kernel, order.Input, order.AgentId))
                .GetAsync(order.Kernel, order.Input, agent, order.Runs, order.TimeoutSeconds);
            return new ReferenceReply { Reference = ByteString.CopyFrom(serializer.SerializeToArray(reference)) };
        }
        catch (Exception e) when (!ClusterFailures.IsTransient(e) && e is not OperationCanceledException)
        {
            throw new RpcException(new Status(StatusCode.FailedPrecondition, $"the reference of {order.Kernel.Id} on input {order.Input}: {e.Message}"));
        }
    }

    /// <summary>
    /// Each OpenAI-compatible model's endpoint asked for its model list (free) with the key the sweep would send: a key it
    /// refuses would turn every experiment of that model into an infra error, so the sweep is refused at once instead.
    /// </summary>
    private async Task<IReadOnlyList<string>> RefusedKeysAsync(SweepSpec spec, CancellationToken cancellationToken)
    {
        var refused = new List<string>();
        foreach (var model in spec.Models.Where(m => m.Provider == ModelProviders.OpenAi))
        {
            string? key;
            try
            {
                key = model.Credential is { } credential ? credentials.Value.Key(credential, model.Endpoint ?? ModelCredentials.OpenAiEndpoint) : null;
            }
            catch (InvalidOperationException e)
            {
                refused.Add($"models.{model.Id}: {e.Message}");
                continue;
            }

            if ((await ModelEndpointCheck.CheckAsync(model, key, TimeSpan.FromSeconds(5), cancellationToken)).Refusal is { } refusal)
            {
                refused.Add($"models.{model.Id}: {refusal}");
            }
        }

        return refused;
    }

    /// <summary>A sweep the (admin) client validated and whose records it kept: started as given, nothing parsed here.</summary>
    private async Task<SubmitReply> SubmitPreparedAsync(PreparedSweep prepared, ServerCallContext context)
    {
        var sweepId = SweepIds.For(prepared.Spec, prepared.Kernels);
        var owner = await grains.GetGrain<ISweepOwnerGrain>(sweepId).ClaimAsync(ApiCaller.Of(context).Name);
        await reads.ListAsync(SweepEntry.Of(sweepId, prepared.Spec, owner, DateTimeOffset.UtcNow));
        var sweep = grains.GetGrain<ISweepGrain>(sweepId);
        await sweep.StartWithRecordsAsync(prepared.Spec, prepared.Kernels, prepared.Kept);
        var progress = await sweep.GetProgressAsync();
        LogSubmitted(sweepId, progress.Total, ApiCaller.Of(context).Name);
        return new SubmitReply { SweepId = sweepId, Experiments = progress.Total };
    }

    /// <summary>
    /// An Orleans-serialized domain value from an admin: the embedded runner's calls, which skip the checks a user's
    /// submission gets (the client made them), so no one else may make them.
    /// </summary>
    private T Trusted<T>(ByteString bytes, ServerCallContext context, string action)
    {
        if (!ApiCaller.Of(context).Admin)
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"only an admin (the cluster token) may {action}"));
        }

        try
        {
            return serializer.Deserialize<T>(bytes.ToByteArray()) ?? throw new InvalidDataException("empty");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"cannot {action}: the request holds no {typeof(T).Name} ({e.Message})"));
        }
    }

    private async Task<ISweepGrain> FindAsync(string sweepId, ServerCallContext context)
    {
        var sweep = grains.GetGrain<ISweepGrain>(sweepId);
        return (await RideOutAsync(sweep.GetProgressAsync, context)).Total > 0
            ? sweep
            : throw new RpcException(new Status(StatusCode.NotFound, $"no sweep '{sweepId}'"));
    }

    /// <summary>The sweep, if the caller submitted it or is an admin; anyone else is refused with the submitter's name.</summary>
    private async Task<ISweepGrain> FindControlledAsync(string sweepId, ServerCallContext context, string action)
    {
        var sweep = await FindAsync(sweepId, context);
        var caller = ApiCaller.Of(context);
        var owner = await RideOutAsync(() => reads.OwnerAsync(sweepId), context);
        if (!caller.MayControl(owner))
        {
            LogRefused(caller.Name, action, sweepId, owner ?? "an earlier version");
            throw new RpcException(new Status(StatusCode.PermissionDenied,
                $"sweep '{sweepId}' was submitted by {owner ?? "an earlier version (no submitter recorded)"}: only that user or an admin may {action} it"));
        }

        return sweep;
    }

    private async Task<SweepStatus> StatusOfAsync(ISweepGrain sweep, string sweepId, ServerCallContext context)
    {
        var status = ToStatus(await RideOutAsync(sweep.GetProgressAsync, context));
        status.SubmittedBy = await RideOutAsync(() => reads.OwnerAsync(sweepId), context) ?? "";
        return status;
    }

    /// <summary>The records with their attempts, read from the attempt store all at once.</summary>
    private async Task<ResultRecord[]> ToResultsAsync(IReadOnlyList<ExperimentRecord> records, ServerCallContext context) =>
        await Task.WhenAll(records.Select(async record =>
        {
            var attempts = await RideOutAsync(() => reads.AttemptsAsync(record.Experiment), context);
            return new ResultRecord { Json = JsonSerializer.Serialize(record), AttemptsJson = JsonSerializer.Serialize(attempts) };
        }));

    /// <summary>
    /// A grain call that waits out other silos' deaths and Redis restarts; if the cluster has not recovered within
    /// <see cref="s_rideOut"/>, the client is told the cluster is unavailable (and may try another silo).
    /// </summary>
    private static async Task<T> RideOutAsync<T>(Func<Task<T>> call, ServerCallContext context)
    {
        try
        {
            return await ClusterFailures.RetryAsync(call, s_rideOut, context.CancellationToken);
        }
        catch (Exception e) when (ClusterFailures.IsTransient(e))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, $"the cluster has not recovered: {e.Message}"));
        }
    }

    private static SweepStatus ToStatus(SweepProgress progress)
    {
        var status = new SweepStatus
        {
            SweepId = progress.SweepId,
            Total = progress.Total,
            Recorded = progress.Recorded,
            Running = progress.Running,
            Cancelled = progress.Cancelled,
        };
        status.ByVerdict.Add(progress.ByVerdict.ToDictionary(v => v.Key.ToWireName(), v => v.Value));
        status.Waiting.Add(progress.Waiting);
        return status;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} submitted with {Experiments} experiments by {User}")]
    private partial void LogSubmitted(string sweepId, int experiments, string user);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{User} may not {Action} sweep {SweepId}, submitted by {Owner}")]
    private partial void LogRefused(string user, string action, string sweepId, string owner);
}
