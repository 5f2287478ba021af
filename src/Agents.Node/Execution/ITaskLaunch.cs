namespace Kernelsmith.Agents.Node.Execution;

/// <summary>
/// How a sandboxed command gets started: by the agent on this machine (<see cref="DirectLaunch"/>), or handed to a
/// workload manager that starts one sandbox per task wherever it places them (Slurm, from the launcher chosen at
/// start-up). The <see cref="Sandbox"/> confines and limits; what differs between the two reaches it as this data.
/// </summary>
public interface ITaskLaunch
{
    /// <summary>How the sandbox confines each task it starts.</summary>
    TaskConfinement Confinement { get; }

    /// <summary>One start of <paramref name="task"/> (the sandbox around the program) for <paramref name="command"/>, with the search path its tools get.</summary>
    ILaunchedTask Prepare(SandboxCommand command, IReadOnlyList<string> task, string searchPath);
}

/// <summary>
/// What the sandbox does for each task: hold it to the job's cores (a cgroup cpuset and taskset), run GNU time as the
/// namespace's init (<see cref="CpuClock"/>: only where one namespace holds the whole job), and which namespaces bwrap
/// makes private.
/// </summary>
public sealed record TaskConfinement(bool Pinned, bool Clocked, IReadOnlyList<string> Namespaces)
{
    /// <summary>A job on this machine: pinned, clocked, and every namespace its own.</summary>
    public static TaskConfinement Local { get; } = new(true, true, ["--unshare-all"]);
}

/// <summary>
/// One started command as the sandbox sees it: the local process to start, and what it must ask of a job that
/// waits in a queue, writes its output to files, is refused by the cluster or outlives the process that submitted it.
/// Disposing it removes whatever it kept beside the work directory.
/// </summary>
public interface ILaunchedTask : IDisposable
{
    /// <summary>The process the agent starts: the task itself, or what submits it.</summary>
    IReadOnlyList<string> Command { get; }

    /// <summary>The whole environment of that process (the agent's own never reaches it).</summary>
    IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>What the process is fed on stdin.</summary>
    byte[] Stdin { get; }

    /// <summary>Where the task stands at <paramref name="elapsed"/> since the process started: how long it waited to start, and why it never will.</summary>
    ValueTask<TaskQueue> QueueAsync(TimeSpan elapsed);

    /// <summary>The bytes written so far outside the process's pipes, which no pipe caps.</summary>
    long UnpipedOutputBytes();

    /// <summary>The output written outside the pipes, no more than <paramref name="limit"/> bytes of each (and one to tell it went over).</summary>
    (byte[] Stdout, byte[] Stderr) UnpipedOutput(int limit);

    /// <summary>Why the cluster refused the task outright, read from the failed process's stderr; null when it did not.</summary>
    string? Refused(string stderr);

    /// <summary>Ends what the process left running elsewhere once the agent gave up on it, and returns once it is gone.</summary>
    Task AbandonAsync();
}

/// <summary>How long a task has waited to start (its run's clock starts there), and why it will never start, when it will not.</summary>
public readonly record struct TaskQueue(TimeSpan Waited, string? Fault);
