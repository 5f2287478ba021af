using Grpc.Core;
using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Silo.Services;

/// <summary>The gRPC edge of the agent registry: maps agent messages to the registry grain.</summary>
public sealed partial class AgentRegistryService(IGrainFactory grains, TimeProvider clock, ILogger<AgentRegistryService> logger)
    : AgentRegistry.AgentRegistryBase
{
    private const int HeartbeatIntervalMs = 2000;

    public override async Task<RegistrationReply> Register(AgentRegistration request, ServerCallContext context)
    {
        if (string.IsNullOrWhiteSpace(request.AgentId) || !Uri.TryCreate(request.Address, UriKind.Absolute, out _))
        {
            return new RegistrationReply { Accepted = false, Message = "an agent needs an id and an absolute gRPC address" };
        }

        var capabilities = request.Capabilities ?? new AgentCapabilities();
        await grains.GetGrain<IAgentRegistryGrain>(0).RegisterAsync(new AgentInfo(
            request.AgentId,
            request.Pool,
            request.Address,
            [.. capabilities.Technologies],
            capabilities.Cores,
            capabilities.CpuModel,
            capabilities.MemoryBytes,
            capabilities.Tools.ToDictionary(t => t.Name, t => t.Version),
            clock.GetUtcNow())
        {
            Description = HardwareDescription.Describe(capabilities),
            Gpus = [.. capabilities.Hardware?.Gpus.Select(g => new GpuInfo(g.Index, g.Name, g.MemoryBytes, g.ComputeCapability)) ?? []],
            Sanitizers = [.. capabilities.Hardware?.Sanitizers ?? []],
            Unavailable = [.. capabilities.Unavailable],
            Calibration = capabilities.Calibration,
            MaxProcesses = capabilities.MaxProcesses,
        });
        LogRegistered(request.AgentId, request.Pool, request.Address, string.Join(",", capabilities.Technologies));
        return new RegistrationReply { Accepted = true, HeartbeatIntervalMs = HeartbeatIntervalMs };
    }

    public override async Task<HeartbeatReply> Heartbeat(AgentHeartbeat request, ServerCallContext context) =>
        new() { Known = await grains.GetGrain<IAgentRegistryGrain>(0).HeartbeatAsync(request.AgentId, request.BusyCores, request.QueuedJobs) };

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} (pool {Pool}) registered at {Address}: {Technologies}")]
    private partial void LogRegistered(string agentId, string pool, string address, string technologies);
}
