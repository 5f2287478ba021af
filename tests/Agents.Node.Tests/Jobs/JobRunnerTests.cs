using Kernelsmith.Agents.Node.Execution;
using Kernelsmith.Agents.Node.Jobs;
using Kernelsmith.Contracts.Protos;

namespace Kernelsmith.Agents.Node.Tests.Jobs;

/// <summary>The agent's job policy called as a plain service, its progress collected in memory: no gRPC anywhere.</summary>
[Collection(AgentCollection.Name)]
public sealed class JobRunnerTests(AgentFixture fixture)
{
    private JobRunner Runner => fixture.Agent.Service<JobRunner>();

    [Fact]
    public async Task RunAsync_ArtifactNotInTheCache_IsRefusedBeforeQueueing()
    {
        var progress = new RecordedProgress();

        var result = await Runner.RunAsync(AgentHost.Job("no-such-artifact", 10_000), progress, CancellationToken.None);

        Assert.Equal(JobResult.Types.Status.AgentError, result.Status);
        Assert.Equal("artifact no-such-artifact is not in this agent's cache", result.Message);
        Assert.Empty(progress.Events);
    }

    [Fact]
    public async Task RunAsync_JobVariables_ReachTheProgramOnlyWhenSafe()
    {
        var artifact = await fixture.Agent.BuildProgramAsync("secrets");
        var job = AgentHost.Job(artifact, 10_000);
        job.Environment.Add("KERNELSMITH_TUNING", "on");
        job.Environment.Add("LD_PRELOAD", "/nonexistent/evil.so");
        var progress = new RecordedProgress();

        var result = await Runner.RunAsync(job, progress, CancellationToken.None);

        var stdout = result.Stdout.ToStringUtf8();
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("env KERNELSMITH_TUNING=on\n", stdout);
        Assert.DoesNotContain("env LD_PRELOAD=", stdout);
        Assert.Equal(["queued", "started"], progress.Events.Where(e => e is "queued" or "started"));
    }

    [Fact]
    public async Task MeasureAsync_OneArm_IsRefused()
    {
        var job = new MeasureJob { JobId = "measure-one-arm", Arms = { AgentHost.Job("any", 1_000) } };

        var result = await Runner.MeasureAsync(job, new RecordedProgress(), CancellationToken.None);

        Assert.Equal((JobResult.Types.Status.AgentError, "a measurement needs a baseline and at least one candidate"), (result.Status, result.Message));
    }

    /// <summary>Every progress report, in order, by kind.</summary>
    private sealed class RecordedProgress : IJobProgress
    {
        private readonly List<string> _events = [];

        public IReadOnlyList<string> Events
        {
            get
            {
                lock (_events)
                {
                    return [.. _events];
                }
            }
        }

        public ValueTask QueuedAsync(int coresRequested, bool exclusive, DateTimeOffset queued) => Add("queued");

        public ValueTask StartedAsync(IReadOnlyList<int> cores, DateTimeOffset started) => Add("started");

        public ValueTask OutputAsync(bool isStderr, ReadOnlyMemory<byte> data) => Add(isStderr ? "stderr" : "stdout");

        public ValueTask UsageAsync(ResourceUsage usage, GpuSample? gpu) => Add("sample");

        private ValueTask Add(string kind)
        {
            lock (_events)
            {
                _events.Add(kind);
            }

            return ValueTask.CompletedTask;
        }
    }
}
