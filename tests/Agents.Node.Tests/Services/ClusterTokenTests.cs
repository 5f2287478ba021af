using Grpc.Core;
using Kernelsmith.Contracts.Protos;
using Kernelsmith.Contracts.Security;

namespace Kernelsmith.Agents.Node.Tests.Services;

/// <summary>An agent with a cluster token refuses work that does not present it.</summary>
public sealed class ClusterTokenTests
{
    private const string Token = "agent-test-token-7f3a";

    [Fact]
    public async Task Run_WithoutTheClusterToken_IsRefusedBeforeAnythingRuns()
    {
        await using var agent = await AgentHost.StartAsync(new Dictionary<string, string?> { [$"{ClusterTokenOptions.Section}:Token"] = Token });

        var error = await Assert.ThrowsAsync<RpcException>(() => agent.RunAsync(new RunJob { JobId = "x", ArtifactId = new string('0', 64), TimeoutMs = 1000 }));

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
    }

    [Fact]
    public async Task Build_WithTheWrongToken_IsRefused_AndWithTheRightOneRuns()
    {
        await using var agent = await AgentHost.StartAsync(new Dictionary<string, string?> { [$"{ClusterTokenOptions.Section}:Token"] = Token });
        var job = new BuildJob { JobId = "b", Compiler = "gcc", TimeoutMs = 60_000 };
        job.Files.Add(new SourceFile { Path = "main.c", Content = Google.Protobuf.ByteString.CopyFromUtf8("int main(void) { return 0; }\n") });

        var wrong = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            using var call = agent.Client.Build(job, new Metadata { { ClusterTokenOptions.Header, "Bearer not-it" } });
            await call.ResponseStream.MoveNext(CancellationToken.None);
        });
        Assert.Equal(StatusCode.Unauthenticated, wrong.StatusCode);

        using var right = agent.Client.Build(job, new ClusterTokenOptions { Token = Token }.Headers());
        JobResult? result = null;
        while (await right.ResponseStream.MoveNext(CancellationToken.None))
        {
            result = right.ResponseStream.Current.Result ?? result;
        }

        Assert.NotNull(result);
        Assert.Equal(0, result.ExitCode);
        Assert.NotEmpty(result.ArtifactId);
    }
}
