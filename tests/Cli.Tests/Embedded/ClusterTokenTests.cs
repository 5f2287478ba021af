using Grpc.Core;
using Grpc.Net.Client;
using Kernelsmith.Cli.Embedded;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Cli.Tests.Embedded;

/// <summary>The silo refuses agents that do not present the cluster token.</summary>
public sealed class ClusterTokenTests
{
    [Fact]
    public async Task Register_WithoutTheClusterToken_IsRefused()
    {
        await using var cluster = await EmbeddedCluster.StartAsync(Directory.CreateTempSubdirectory("kernelsmith-token-").FullName, CancellationToken.None);
        using var channel = GrpcChannel.ForAddress(cluster.SiloUrl);
        var registry = new AgentRegistry.AgentRegistryClient(channel);
        var intruder = new AgentRegistration { AgentId = "intruder", Pool = "x", Address = "http://127.0.0.1:9" };

        var missing = await Assert.ThrowsAsync<RpcException>(async () => await registry.RegisterAsync(intruder));
        var wrong = await Assert.ThrowsAsync<RpcException>(async () => await registry.RegisterAsync(intruder, new Metadata { { "authorization", "Bearer guess" } }));

        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);
        var agents = await EmbeddedSweepApi.AgentsAsync(cluster);
        Assert.DoesNotContain(agents, a => a.AgentId == "intruder");
        Assert.Single(agents);
    }
}
