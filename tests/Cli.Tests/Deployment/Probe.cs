using System.Net;
using Grpc.Health.V1;
using Grpc.Net.Client;

namespace Kernelsmith.Cli.Tests.Deployment;

/// <summary>What Kubernetes' probes see: HTTP/1.1 GETs (as <c>curl --http1.1</c>), and the gRPC health service.</summary>
internal static class Probe
{
    /// <summary>The status of GET http://127.0.0.1:PORT/PATH over HTTP/1.1 exactly; null when nothing answers.</summary>
    public static async Task<HttpStatusCode?> StatusAsync(int port, string path)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}{path}")
        {
            Version = HttpVersion.Version11,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        try
        {
            using var response = await client.SendAsync(request);
            Assert.Equal(HttpVersion.Version11, response.Version);
            return response.StatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return null;
        }
    }

    public static async Task<HealthCheckResponse.Types.ServingStatus> GrpcHealthAsync(string url)
    {
        using var channel = GrpcChannel.ForAddress(url);
        var reply = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow.AddSeconds(15));
        return reply.Status;
    }

    /// <summary>Waits until the probe gives the status; minutes, as a loaded machine may take them to start a host.</summary>
    public static Task WaitForAsync(int port, string path, HttpStatusCode expected, string what) =>
        Cluster.ClusterFixture.WaitUntilAsync(async () => await StatusAsync(port, path) == expected, TimeSpan.FromMinutes(3), $"{what}: {path} on {port} to answer {(int)expected}");
}
