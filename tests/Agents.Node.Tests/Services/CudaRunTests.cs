using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Tests.Services;

/// <summary>CUDA runs on an agent without a GPU, as every CI machine is; the GPU ledger itself is tested on its own.</summary>
[Collection(AgentCollection.Name)]
public sealed class CudaRunTests(AgentFixture fixture)
{
    private AgentHost Agent => fixture.Agent;

    [Fact]
    public async Task Run_CudaJobOnAnAgentWithoutGpu_IsRefusedAsTheAgentsShortcoming()
    {
        var job = AgentHost.Job(await Agent.BuildProgramAsync("hello"), 10_000);
        job.Launcher = Launchers.Cuda;

        var call = await Agent.RunAsync(job);

        Assert.Equal(JobResult.Types.Status.AgentError, call.Result.Status);
        Assert.Equal("this agent has no GPU (nvidia-smi lists none)", call.Result.Message);
    }
}
