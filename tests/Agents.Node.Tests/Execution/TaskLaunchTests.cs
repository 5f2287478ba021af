using Kernelsmith.Agents.Node.Execution;

namespace Kernelsmith.Agents.Node.Tests.Execution;

/// <summary>
/// The sandbox with a launch other than its own (a stand-in for a workload manager's queue): what the launch reports
/// decides the run's fault, its measured time and whether what it left elsewhere is ended, without the sandbox
/// knowing which launcher it is.
/// </summary>
[Collection(AgentCollection.Name)]
public sealed class TaskLaunchTests(AgentFixture fixture)
{
    [Fact]
    public async Task Run_TaskThatCanNeverStart_IsKilledAsTheAgentsFaultAndAbandoned()
    {
        var launch = new QueuedLaunch(fault: "the queue will never start it");

        var outcome = await RunAsync(["sleep", "30"], launch);

        Assert.Equal("the queue will never start it", outcome.Fault);
        Assert.False(outcome.TimedOut);
        Assert.InRange(outcome.Wall.TotalSeconds, 0, 10);
        Assert.Equal(1, launch.Abandoned);
    }

    [Fact]
    public async Task Run_TaskThatWaitedInTheQueue_LeavesTheWaitOutOfItsTimeAndItsLimit()
    {
        // The wait counts against neither the run's time nor its 2 s limit: a 3.5 s run with 3 s of it queued finishes.
        var launch = new QueuedLaunch(waited: TimeSpan.FromSeconds(3));

        var outcome = await RunAsync(["sleep", "3.5"], launch, TimeSpan.FromSeconds(2));

        Assert.False(outcome.TimedOut);
        Assert.Equal(0, outcome.ExitCode);
        Assert.Null(outcome.Fault);
        Assert.InRange(outcome.Wall.TotalSeconds, 0.4, 3.4);
        Assert.Equal(0, launch.Abandoned);
    }

    [Fact]
    public async Task Run_RefusedByTheCluster_IsTheAgentsFaultNamingWhatItSaid()
    {
        var launch = new QueuedLaunch(refusal: "refused: no such partition");

        var outcome = await RunAsync(["sh", "-c", "exit 1"], launch);

        Assert.Equal("refused: no such partition", outcome.Fault);
    }

    private async Task<SandboxOutcome> RunAsync(IReadOnlyList<string> command, QueuedLaunch launch, TimeSpan? timeout = null)
    {
        var sandbox = fixture.Agent.Service<Sandbox>();
        var directory = fixture.Agent.Service<Workspace>().NewJobDirectory();
        try
        {
            if (sandbox.JobUid is { } uid)
            {
                Workspace.HandOver(directory, uid);
            }

            return await sandbox.RunAsync(
                new SandboxCommand(directory, command, new Dictionary<string, string>(), [], timeout ?? TimeSpan.FromSeconds(20), [], 1, launch), null, CancellationToken.None);
        }
        finally
        {
            Workspace.Delete(directory);
        }
    }

    /// <summary>Starts the task here as the agent would, but reports a queue: a fixed wait, a fault once the process runs, or a refusal.</summary>
    private sealed class QueuedLaunch(string? fault = null, TimeSpan waited = default, string? refusal = null) : ITaskLaunch, ILaunchedTask
    {
        private IReadOnlyList<string> _task = [];
        private string _searchPath = "";

        public int Abandoned { get; private set; }

        public TaskConfinement Confinement => TaskConfinement.Local;

        public IReadOnlyList<string> Command => _task;

        public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string> { ["PATH"] = _searchPath };

        public byte[] Stdin => [];

        public ILaunchedTask Prepare(SandboxCommand command, IReadOnlyList<string> task, string searchPath)
        {
            (_task, _searchPath) = (task, searchPath);
            return this;
        }

        public ValueTask<TaskQueue> QueueAsync(TimeSpan elapsed) =>
            ValueTask.FromResult(new TaskQueue(elapsed < waited ? elapsed : waited, elapsed > TimeSpan.FromSeconds(0.3) ? fault : null));

        public long UnpipedOutputBytes() => 0;

        public (byte[] Stdout, byte[] Stderr) UnpipedOutput(int limit) => ([], []);

        public string? Refused(string stderr) => refusal;

        public Task AbandonAsync()
        {
            Abandoned++;
            return Task.CompletedTask;
        }

        public void Dispose()
        {
        }
    }
}
