using Grpc.Net.Client;
using Kernelsmith.Agents.Node.Execution;
using Kernelsmith.Agents.Node.Hosting;
using Kernelsmith.Contracts.Protos;
using Kernelsmith.Contracts.Security;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Kernelsmith.Agents.Node.Registration;

/// <summary>Registers the agent with the silo once it listens, then heartbeats; registers again when the silo forgot it.</summary>
public sealed partial class AgentRegistrationService(
    AgentIdentity identity,
    CoreLedger cores,
    IServer server,
    IHostApplicationLifetime lifetime,
    IOptions<AgentOptions> options,
    IOptions<ClusterTokenOptions> token,
    ILogger<AgentRegistrationService> logger) : BackgroundService
{
    private static readonly TimeSpan s_retry = TimeSpan.FromSeconds(2);

    /// <summary>Set once the silo accepted the agent; embedded hosts wait on it.</summary>
    public TaskCompletionSource Registered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WaitForStartAsync(stoppingToken);
        foreach (var problem in identity.Capabilities.Unavailable)
        {
            LogToolchainRefused(problem);
        }

        var address = AdvertisedAddress();
        using var channel = GrpcChannel.ForAddress(options.Value.Silo!);
        var registry = new AgentRegistry.AgentRegistryClient(channel);
        var interval = s_retry;
        var registered = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!registered)
                {
                    var reply = await registry.RegisterAsync(Registration(address), token.Value.Headers(), cancellationToken: stoppingToken);
                    if (!reply.Accepted)
                    {
                        LogRefused(reply.Message);
                        await Task.Delay(s_retry * 5, stoppingToken);
                        continue;
                    }

                    registered = true;
                    interval = TimeSpan.FromMilliseconds(Math.Max(200, reply.HeartbeatIntervalMs));
                    LogRegistered(identity.AgentId, address, options.Value.Silo!);
                    Registered.TrySetResult();
                }
                else
                {
                    var beat = await registry.HeartbeatAsync(
                        new AgentHeartbeat { AgentId = identity.AgentId, BusyCores = cores.Busy, QueuedJobs = cores.Waiting }, token.Value.Headers(), cancellationToken: stoppingToken);
                    registered = beat.Known;
                }
            }
            catch (Grpc.Core.RpcException e) when (!stoppingToken.IsCancellationRequested)
            {
                registered = false;
                LogSiloUnreachable(options.Value.Silo!, e.Status.Detail);
            }

            await Task.Delay(registered ? interval : s_retry, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private AgentRegistration Registration(string address) => new()
    {
        AgentId = identity.AgentId,
        Pool = identity.Pool,
        Address = address,
        Capabilities = identity.Capabilities,
    };

    private async Task WaitForStartAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        using var onStarted = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);
    }

    private string AdvertisedAddress()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("the agent's server has no address to advertise");
        // A wildcard listen address is not an address the silo can dial.
        return address.Replace("://[::]", "://127.0.0.1", StringComparison.Ordinal).Replace("://0.0.0.0", "://127.0.0.1", StringComparison.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {AgentId} at {Address} registered with {Silo}")]
    private partial void LogRegistered(string agentId, string address, string silo);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Not offered, its toolchain does not work: {Problem}")]
    private partial void LogToolchainRefused(string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The silo refused registration: {Message}")]
    private partial void LogRefused(string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Silo {Silo} unreachable: {Detail}")]
    private partial void LogSiloUnreachable(string silo, string detail);
}
