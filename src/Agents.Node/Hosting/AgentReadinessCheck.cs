using System.Collections.Concurrent;
using Kernelsmith.Agents.Node.Execution;
using Kernelsmith.Agents.Node.Registration;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Kernelsmith.Contracts.Security;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Kernelsmith.Agents.Node.Hosting;

/// <summary>
/// Readiness of an agent: a silo accepted its registration and still knows it (the last heartbeat was answered), that
/// silo is ready itself (its gRPC health service: in its cluster, Redis answering), and the sandbox can start a
/// process: an agent whose bubblewrap cannot create its namespaces (a container without the privileges it needs) would
/// take jobs and fail every one as the system's error.
/// </summary>
internal sealed class AgentReadinessCheck(
    AgentRegistrationService registration,
    Sandbox sandbox,
    Workspace workspace,
    IOptions<AgentOptions> options,
    IOptions<ClusterTokenOptions> token) : IHealthCheck, IDisposable
{
    /// <summary>A started sandbox stays proof for a while: probes come every few seconds, and each start costs a bwrap.</summary>
    private static readonly TimeSpan s_sandboxProofLifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, GrpcChannel> _silos = new(StringComparer.Ordinal);
    private DateTimeOffset _sandboxProvenAt = DateTimeOffset.MinValue;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!registration.IsRegistered)
        {
            return HealthCheckResult.Unhealthy("not registered with a silo (or the silo stopped answering its heartbeats)");
        }

        if (await SiloProblemAsync(cancellationToken) is { } siloProblem)
        {
            return HealthCheckResult.Unhealthy(siloProblem);
        }

        if (DateTimeOffset.UtcNow - _sandboxProvenAt > s_sandboxProofLifetime)
        {
            if (await SandboxProblemAsync(cancellationToken) is { } problem)
            {
                return HealthCheckResult.Unhealthy(problem);
            }

            _sandboxProvenAt = DateTimeOffset.UtcNow;
        }

        return HealthCheckResult.Healthy();
    }

    public void Dispose()
    {
        foreach (var channel in _silos.Values)
        {
            channel.Dispose();
        }
    }

    private async Task<string?> SiloProblemAsync(CancellationToken cancellationToken)
    {
        // The silo it registered with: with several given, the one that answered last.
        var silo = registration.CurrentSilo ?? options.Value.Silos[0];
        try
        {
            var reply = await new Health.HealthClient(_silos.GetOrAdd(silo, address => GrpcChannel.ForAddress(address))).CheckAsync(
                new HealthCheckRequest(), token.Value.Headers(), DateTime.UtcNow.AddSeconds(3), cancellationToken);
            return reply.Status == HealthCheckResponse.Types.ServingStatus.Serving ? null : $"the silo {silo} is not ready ({reply.Status})";
        }
        catch (RpcException e)
        {
            return $"the silo {silo} does not answer its health check: {e.Status.Detail}";
        }
    }

    private async Task<string?> SandboxProblemAsync(CancellationToken cancellationToken)
    {
        var directory = workspace.NewJobDirectory();
        try
        {
            if (sandbox.JobUid is { } uid)
            {
                Workspace.HandOver(directory, uid);
            }

            var outcome = await sandbox.RunAsync(
                new SandboxCommand(directory, ["true"], new Dictionary<string, string>(), [], TimeSpan.FromSeconds(10), [], 1), null, cancellationToken);
            return outcome.ExitCode == 0 && !outcome.TimedOut
                ? null
                : $"the sandbox cannot start a process (exit {outcome.ExitCode}): {System.Text.Encoding.UTF8.GetString(outcome.Stderr).Trim()}";
        }
        finally
        {
            Workspace.Delete(directory);
        }
    }
}
