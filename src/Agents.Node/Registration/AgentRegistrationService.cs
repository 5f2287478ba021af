using Grpc.Net.Client;
using Kernelsmith.Agents.Node.Execution;
using Kernelsmith.Agents.Node.Hosting;
using Kernelsmith.Contracts.Protos;
using Kernelsmith.Contracts.Security;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Kernelsmith.ServiceDefaults;
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
    IConfiguration configuration,
    ILogger<AgentRegistrationService> logger) : BackgroundService
{
    private static readonly TimeSpan s_retry = TimeSpan.FromSeconds(2);

    private volatile bool _registered;

    /// <summary>Set once the silo accepted the agent; embedded hosts wait on it.</summary>
    public TaskCompletionSource Registered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Whether a silo knows the agent now: accepted, and the last heartbeat answered (readiness).</summary>
    public bool IsRegistered => _registered;

    /// <summary>The silo the agent registered with last (one of <see cref="AgentOptions.Silos"/>).</summary>
    public string? CurrentSilo { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await WaitForStartAsync(stoppingToken);
        // Known before the agent registers, so no job waits for it: every job asks, and when the first burst of jobs
        // found it unknown, each held a thread while one probed the tools, starving the thread pool for seconds.
        _ = Sandbox.IsAvailable;
        foreach (var problem in identity.Capabilities.Unavailable)
        {
            LogToolchainRefused(problem);
        }

        var address = AdvertisedAddress();
        var channels = options.Value.Silos.Select(silo => GrpcChannel.ForAddress(silo)).ToList();
        var current = 0;
        var interval = s_retry;
        var registered = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var silo = options.Value.Silos[current];
            var registry = new AgentRegistry.AgentRegistryClient(channels[current]);
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

                    registered = _registered = true;
                    CurrentSilo = silo;
                    interval = TimeSpan.FromMilliseconds(Math.Max(200, reply.HeartbeatIntervalMs));
                    LogRegistered(identity.AgentId, address, silo);
                    Registered.TrySetResult();
                }
                else
                {
                    var beat = await registry.HeartbeatAsync(
                        new AgentHeartbeat { AgentId = identity.AgentId, BusyCores = cores.Busy, QueuedJobs = cores.Waiting }, token.Value.Headers(), cancellationToken: stoppingToken);
                    registered = _registered = beat.Known;
                }
            }
            catch (Grpc.Core.RpcException e) when (!stoppingToken.IsCancellationRequested)
            {
                // The registry is cluster-wide: any other silo given takes the registration while this one is down.
                registered = _registered = false;
                LogSiloUnreachable(silo, e.Status.Detail);
                current = (current + 1) % channels.Count;
            }

            await Task.Delay(registered ? interval : s_retry, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        foreach (var channel in channels)
        {
            channel.Dispose();
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
        if (options.Value.Address is { Length: > 0 } configured)
        {
            return configured;
        }

        // The first of the server's addresses that serves gRPC: not the HTTP/1.1 health listener.
        var healthPort = HealthEndpoints.HealthPort(configuration);
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault(a => healthPort is null || new Uri(a).Port != healthPort)
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
