namespace Kernelsmith.Agents.Node.Execution;

/// <summary>The agent starts the task itself, on this machine: no queue, no files, nothing left behind once the process tree is killed.</summary>
public sealed class DirectLaunch : ITaskLaunch
{
    public static DirectLaunch Instance { get; } = new();

    private DirectLaunch()
    {
    }

    public TaskConfinement Confinement => TaskConfinement.Local;

    public ILaunchedTask Prepare(SandboxCommand command, IReadOnlyList<string> task, string searchPath) => new Started(task, searchPath, command.Stdin);

    private sealed class Started(IReadOnlyList<string> task, string searchPath, byte[] stdin) : ILaunchedTask
    {
        public IReadOnlyList<string> Command => task;

        public IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string> { ["PATH"] = searchPath };

        public byte[] Stdin => stdin;

        public ValueTask<TaskQueue> QueueAsync(TimeSpan elapsed) => ValueTask.FromResult(default(TaskQueue));

        public long UnpipedOutputBytes() => 0;

        public (byte[] Stdout, byte[] Stderr) UnpipedOutput(int limit) => ([], []);

        public string? Refused(string stderr) => null;

        public Task AbandonAsync() => Task.CompletedTask;

        public void Dispose()
        {
        }
    }
}
