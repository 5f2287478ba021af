using Google.Protobuf;
using Kernelsmith.Agents.Node.Hosting;
using Kernelsmith.Agents.Node.Jobs;
using Kernelsmith.Agents.Node.Services;
using Kernelsmith.Contracts.Agents;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Tests.Services;

/// <summary>
/// The agent's gRPC edge called directly (grpc-dotnet's test call context and an in-memory response stream) over the
/// test agent's real job runner: what a caller reads from each stream, without a network between them.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class NodeAgentServiceTests(AgentFixture fixture)
{
    private NodeAgentService Service => new(fixture.Agent.Service<JobRunner>(), fixture.Agent.Service<AgentIdentity>());

    [Fact]
    public async Task Build_RefusedCompiler_StreamsOnlyAnAgentErrorNamingIt()
    {
        var stream = new RecordingStreamWriter<JobUpdate>();

        await Service.Build(Build("refused", "rm", "int main(void) { return 0; }\n"), stream, new TestServerCallContext());

        var update = Assert.Single(stream.Messages);
        Assert.Equal(JobResult.Types.Status.AgentError, update.Result.Status);
        Assert.Equal("compiler 'rm' is not one this agent runs", update.Result.Message);
    }

    [Fact]
    public async Task Build_SameSourcesTwice_SecondIsAnsweredFromTheCacheWithoutQueueing()
    {
        // A source no other test builds, so the first build here really compiles.
        var source = $"int main(void) {{ return 0; }} /* {Guid.NewGuid():n} */\n";
        var first = new RecordingStreamWriter<JobUpdate>();
        var second = new RecordingStreamWriter<JobUpdate>();

        await Service.Build(Build("cached", "gcc", source), first, new TestServerCallContext());
        await Service.Build(Build("cached", "gcc", source), second, new TestServerCallContext());

        var built = first.Messages[^1].Result;
        Assert.False(built.Cached);
        Assert.NotEmpty(built.ArtifactId);
        var update = Assert.Single(second.Messages);
        Assert.True(update.Result.Cached);
        Assert.Equal(built.ArtifactId, update.Result.ArtifactId);
        Assert.Empty(update.Result.Cores);
    }

    [Fact]
    public async Task Run_WellBehavedProgram_StreamsQueuedStartedAndOutputThenEndsInItsResult()
    {
        var artifact = await fixture.Agent.BuildProgramAsync("hello");
        var stream = new RecordingStreamWriter<JobUpdate>();

        await Service.Run(AgentHost.Job(artifact, 10_000), stream, new TestServerCallContext());

        var updates = stream.Messages;
        Assert.Equal(JobUpdate.UpdateOneofCase.Queued, updates[0].UpdateCase);
        Assert.Equal(JobUpdate.UpdateOneofCase.Started, updates[1].UpdateCase);
        Assert.Equal("agent-tests", updates[1].Started.AgentId);
        Assert.Equal(JobUpdate.UpdateOneofCase.Result, updates[^1].UpdateCase);
        Assert.Single(updates, u => u.UpdateCase == JobUpdate.UpdateOneofCase.Result);
        var streamed = string.Concat(updates
            .Where(u => u.UpdateCase == JobUpdate.UpdateOneofCase.Output && u.Output.Stream == OutputChunk.Types.Stream.Stdout).Select(u => u.Output.Data.ToStringUtf8()));
        Assert.Equal("hello from the sandbox\n", streamed);
        var result = updates[^1].Result;
        Assert.Equal((JobResult.Types.Status.Exited, 0), (result.Status, result.ExitCode));
        Assert.Equal("hello from the sandbox\n", result.Stdout.ToStringUtf8());
        Assert.Equal(updates[1].Started.Cores, result.Cores);
    }

    [Fact]
    public async Task Measure_WithoutACandidate_StreamsOnlyAnAgentErrorSayingWhatItNeeds()
    {
        var stream = new RecordingStreamWriter<JobUpdate>();
        var job = new MeasureJob { JobId = "measure-alone", MaxPairs = 1 };
        job.Arms.Add(AgentHost.Job("any-artifact", 10_000));

        await Service.Measure(job, stream, new TestServerCallContext());

        var update = Assert.Single(stream.Messages);
        Assert.Equal(JobResult.Types.Status.AgentError, update.Result.Status);
        Assert.Equal("a measurement needs a baseline and at least one candidate", update.Result.Message);
    }

    private static BuildJob Build(string name, string compiler, string source)
    {
        var job = new BuildJob { JobId = $"build-{name}", Compiler = compiler, TimeoutMs = 60_000 };
        job.Files.Add(new SourceFile { Path = "main.c", Content = ByteString.CopyFromUtf8(source) });
        return job;
    }
}
