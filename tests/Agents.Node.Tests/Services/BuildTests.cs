using Kernelsmith.Agents.Node.Execution;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Tests.Services;

/// <summary>What a build reports: the program's faults as build results, the agent's own shortcomings as agent errors.</summary>
[Collection(AgentCollection.Name)]
public sealed class BuildTests(AgentFixture fixture)
{
    private AgentHost Agent => fixture.Agent;

    [Fact]
    public async Task Build_SourceThatDoesNotCompile_IsAFailedBuildWithTheCompilersMessage()
    {
        var result = await Agent.BuildAsync("hello", "gcc", [], "int broken(void) { return undeclared_name; }\n");

        Assert.Equal(JobResult.Types.Status.Exited, result.Status);
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("undeclared_name", result.Stderr.ToStringUtf8());
        Assert.Equal("", result.ArtifactId);
    }

    [Fact]
    public async Task Build_CompilerNotInstalled_IsAnAgentError()
    {
        // nvcc is a compiler the agent knows; where CUDA is installed, the CUDA test suites exercise it instead.
        var installed = Sandbox.IsInstalled("nvcc");

        var result = await Agent.BuildAsync("hello", "nvcc", []);

        Assert.Equal(installed ? JobResult.Types.Status.Exited : JobResult.Types.Status.AgentError, result.Status);
        if (!installed)
        {
            Assert.Equal("compiler 'nvcc' is not installed on this agent", result.Message);
        }
    }

    [Fact]
    public async Task Build_UnknownCompiler_IsRefused()
    {
        var result = await Agent.BuildAsync("hello", "sh", []);

        Assert.Equal(JobResult.Types.Status.AgentError, result.Status);
        Assert.Equal("compiler 'sh' is not one this agent runs", result.Message);
    }
}
