using System.Text.Json;
using Grpc.Core;
using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Protos;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Grains.Kernels;
using Kernelsmith.Grains.Llm;
using Kernelsmith.Grains.Sweeps;
using Kernelsmith.Grains.Yaml;
using Kernelsmith.Silo.Hosting;
using Microsoft.Extensions.Options;

namespace Kernelsmith.Silo.Services;

/// <summary>The public sweep API: the gRPC edge that maps requests to sweep grains.</summary>
public sealed partial class SweepApiService(IGrainFactory grains, IOptions<SiloOptions> options, ILogger<SweepApiService> logger)
    : SweepService.SweepServiceBase
{
    private static readonly TimeSpan s_poll = TimeSpan.FromMilliseconds(500);

    public override async Task<SubmitReply> Submit(SubmitRequest request, ServerCallContext context)
    {
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
            var spec = SweepSpecLoader.Parse(string.IsNullOrEmpty(request.SpecName) ? "sweep.yaml" : request.SpecName, request.SpecYaml, catalog, prompts);
            var kernels = spec.Kernels.Select(id => catalog.TryGet(id, out var kernel) ? kernel : throw new InvalidOperationException(id)).ToList();
            var sweepId = SweepIds.For(spec, kernels);
            await grains.GetGrain<ISweepGrain>(sweepId).StartAsync(spec, kernels);
            var progress = await grains.GetGrain<ISweepGrain>(sweepId).GetProgressAsync();
            LogSubmitted(sweepId, progress.Total);
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
        var sweep = await FindAsync(request.SweepId);
        var sent = Math.Max(0, request.From);
        while (!context.CancellationToken.IsCancellationRequested)
        {
            var progress = await sweep.GetProgressAsync();
            await responseStream.WriteAsync(new SweepUpdate { Status = ToStatus(progress) });
            foreach (var record in await sweep.GetRecordsAsync(sent, 100))
            {
                await responseStream.WriteAsync(new SweepUpdate { Record = await ToResultAsync(record) });
                sent++;
            }

            if (sent >= progress.Total && progress.IsComplete || progress.Cancelled && sent >= progress.Recorded)
            {
                return;
            }

            await Task.Delay(s_poll, context.CancellationToken);
        }
    }

    public override async Task<SweepStatus> Status(SweepRef request, ServerCallContext context) =>
        ToStatus(await (await FindAsync(request.SweepId)).GetProgressAsync());

    public override async Task<SweepStatus> Cancel(SweepRef request, ServerCallContext context)
    {
        var sweep = await FindAsync(request.SweepId);
        await sweep.CancelAsync();
        return ToStatus(await sweep.GetProgressAsync());
    }

    public override async Task<SweepStatus> Resume(SweepRef request, ServerCallContext context)
    {
        var sweep = await FindAsync(request.SweepId);
        await sweep.ResumeAsync();
        return ToStatus(await sweep.GetProgressAsync());
    }

    public override async Task Results(WatchRequest request, IServerStreamWriter<ResultRecord> responseStream, ServerCallContext context)
    {
        var sweep = await FindAsync(request.SweepId);
        for (var from = Math.Max(0, request.From); ; )
        {
            var page = await sweep.GetRecordsAsync(from, 100);
            if (page.Count == 0)
            {
                return;
            }

            foreach (var record in page)
            {
                await responseStream.WriteAsync(await ToResultAsync(record));
            }

            from += page.Count;
        }
    }

    public override async Task<AgentList> ListAgents(ListAgentsRequest request, ServerCallContext context)
    {
        var list = new AgentList();
        foreach (var agent in await grains.GetGrain<IAgentRegistryGrain>(0).GetLiveAgentsAsync())
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
            };
            summary.Sanitizers.AddRange(agent.Sanitizers);
            summary.Unavailable.AddRange(agent.Unavailable);
            summary.Technologies.AddRange(agent.Technologies);
            summary.Tools.Add(agent.Tools.ToDictionary());
            list.Agents.Add(summary);
        }

        return list;
    }

    private async Task<ISweepGrain> FindAsync(string sweepId)
    {
        var sweep = grains.GetGrain<ISweepGrain>(sweepId);
        return (await sweep.GetProgressAsync()).Total > 0
            ? sweep
            : throw new RpcException(new Status(StatusCode.NotFound, $"no sweep '{sweepId}'"));
    }

    private async Task<ResultRecord> ToResultAsync(ExperimentRecord record)
    {
        var attempts = await grains.GetGrain<IExperimentGrain>(record.Experiment).GetAttemptsAsync();
        return new ResultRecord { Json = JsonSerializer.Serialize(record), AttemptsJson = JsonSerializer.Serialize(attempts) };
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
        return status;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweep {SweepId} submitted with {Experiments} experiments")]
    private partial void LogSubmitted(string sweepId, int experiments);
}
