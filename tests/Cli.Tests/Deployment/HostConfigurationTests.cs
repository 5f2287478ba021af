using System.Globalization;
using System.Net;
using Grpc.Health.V1;
using Kernelsmith.Cli.Tests.Cluster;

namespace Kernelsmith.Cli.Tests.Deployment;

/// <summary>
/// The hosts as containers run them: configured through the environment (a flag given still wins), and probed over
/// HTTP/1.1 and the gRPC health service. Real processes, real Redis, real Orleans.
/// </summary>
public sealed class HostConfigurationTests(HostFixture fixture) : IClassFixture<HostFixture>
{
    [Fact]
    public async Task Silo_ConfiguredOnlyThroughTheEnvironment_ServesAndJoinsThatCluster()
    {
        // The listen address (ASPNETCORE_URLS) and the cluster id, silo and gateway ports (Silo__*) all came from the environment.
        var (exit, _, stderr) = await CommandLineTests.KernelsmithAsync("agents", "--cluster", fixture.SiloUrl);
        Assert.True(exit == 0, stderr);
        var members = await fixture.RedisAsync("hgetall", $"kernelsmith/members/{fixture.ClusterId}");
        Assert.Contains($"127.0.0.1:{fixture.SiloPort}", members, StringComparison.Ordinal);
        Assert.Contains(fixture.GatewayPort.ToString(CultureInfo.InvariantCulture), members, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silo_FlagGiven_WinsOverTheEnvironment()
    {
        var healthPort = LoopbackPort.Free();
        fixture.StartHost("silo-flag", "silo", ["--cluster-id", "fromflag", "--listen", $"http://127.0.0.1:{LoopbackPort.Free()}", "--health-port", healthPort.ToString(CultureInfo.InvariantCulture)], new()
        {
            ["Silo__ClusterId"] = "fromenv",
            ["Silo__Redis"] = $"127.0.0.1:{fixture.RedisPort}",
            ["Silo__SiloPort"] = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture),
            ["Silo__GatewayPort"] = LoopbackPort.Free().ToString(CultureInfo.InvariantCulture),
        });

        await Probe.WaitForAsync(healthPort, "/health", HttpStatusCode.OK, "the silo started with --cluster-id");
        var keys = await fixture.RedisAsync("keys", "kernelsmith/members/*");
        Assert.Contains("kernelsmith/members/fromflag", keys, StringComparison.Ordinal);
        Assert.DoesNotContain("kernelsmith/members/fromenv", keys, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_ConfiguredThroughTheEnvironment_RegistersInThatPool_AndAFlagWins()
    {
        var id = "envid-" + Guid.NewGuid().ToString("n")[..6];
        fixture.StartHost("agent-env", "agent", [], new()
        {
            ["Agent__Silo"] = fixture.SiloUrl,
            ["Agent__Pool"] = "envpool",
            ["Agent__Id"] = id,
            ["Agent__WorkRoot"] = Path.Combine(fixture.Work, "agent-env"),
        });
        fixture.StartHost("agent-flag", "agent", ["--pool", "flagpool", "--id", id + "-flag"], new()
        {
            ["Agent__Silo"] = fixture.SiloUrl,
            ["Agent__Pool"] = "envpool",
            ["Agent__WorkRoot"] = Path.Combine(fixture.Work, "agent-flag"),
        });

        var listing = "";
        await ClusterFixture.WaitUntilAsync(async () =>
        {
            (_, listing, _) = await CommandLineTests.KernelsmithAsync("agents", "--cluster", fixture.SiloUrl);
            return listing.Contains(id + "-flag in pool", StringComparison.Ordinal) && listing.Contains(id + " in pool", StringComparison.Ordinal);
        }, TimeSpan.FromMinutes(3), "both agents to register");

        Assert.Contains($"{id} in pool envpool", listing, StringComparison.Ordinal);
        Assert.Contains($"{id}-flag in pool flagpool", listing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probes_AnswerOverHttp11_ReadyOnlyWhileRedisAnswers()
    {
        var agentHealth = LoopbackPort.Free();
        fixture.StartHost("agent-probed", "agent", ["--health-port", agentHealth.ToString(CultureInfo.InvariantCulture)], new()
        {
            ["Agent__Silo"] = fixture.SiloUrl,
            ["Agent__Pool"] = "probed",
            ["Agent__WorkRoot"] = Path.Combine(fixture.Work, "agent-probed"),
        });
        await Probe.WaitForAsync(agentHealth, "/health", HttpStatusCode.OK, "the agent to be ready");
        Assert.Equal(HttpStatusCode.OK, await Probe.StatusAsync(fixture.SiloHealthPort, "/health"));
        Assert.Equal(HttpStatusCode.OK, await Probe.StatusAsync(fixture.SiloHealthPort, "/alive"));
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, await Probe.GrpcHealthAsync(fixture.SiloUrl));

        await fixture.StopRedisAsync();
        try
        {
            await Probe.WaitForAsync(fixture.SiloHealthPort, "/health", HttpStatusCode.ServiceUnavailable, "the silo without Redis");
            await Probe.WaitForAsync(agentHealth, "/health", HttpStatusCode.ServiceUnavailable, "the agent of a silo without Redis");
            // Alive all the same: a restart would not bring Redis back.
            Assert.Equal(HttpStatusCode.OK, await Probe.StatusAsync(fixture.SiloHealthPort, "/alive"));
            Assert.Equal(HttpStatusCode.OK, await Probe.StatusAsync(agentHealth, "/alive"));
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, await Probe.GrpcHealthAsync(fixture.SiloUrl));
        }
        finally
        {
            await fixture.StartRedisAsync();
        }

        await Probe.WaitForAsync(fixture.SiloHealthPort, "/health", HttpStatusCode.OK, "the silo once Redis is back");
        await Probe.WaitForAsync(agentHealth, "/health", HttpStatusCode.OK, "the agent once Redis is back");
    }
}
