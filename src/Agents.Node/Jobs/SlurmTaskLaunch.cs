using Kernelsmith.Agents.Node.Execution;

namespace Kernelsmith.Agents.Node.Jobs;

/// <summary>
/// A run handed to Slurm as one job of <see cref="Placement"/>'s tasks (<see cref="SlurmLauncher"/> writes the srun or
/// sbatch command): srun starts a sandbox per task on the cluster's cores, so the sandbox pins nothing and its clock
/// is not the tasks' init, and the tasks of one job share IPC, /tmp and /dev/shm (MPI's shared memory) while network,
/// processes and the rest stay private. The job's wall clock starts once it leaves the queue; a job the cluster
/// refuses, that can never start as asked or that waits too long is the agent's failure, and one the agent gives up
/// on is cancelled and gone before the run returns.
/// </summary>
public sealed class SlurmTaskLaunch(SlurmLauncher slurm, SlurmPlacement placement) : ITaskLaunch
{
    private static readonly TaskConfinement s_confinement =
        new(Pinned: false, Clocked: false, ["--unshare-user-try", "--unshare-pid", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try"]);

    /// <summary>How a squeue is asked about a job until it runs.</summary>
    private static readonly TimeSpan s_queuePoll = TimeSpan.FromSeconds(1);

    public SlurmPlacement Placement => placement;

    public TaskConfinement Confinement => s_confinement;

    public ILaunchedTask Prepare(SandboxCommand command, IReadOnlyList<string> task, string searchPath)
    {
        // The job's script and output lie beside the work directory, where the program cannot write.
        var controlDirectory = command.WorkDirectory + ".slurm";
        try
        {
            var job = slurm.Prepare(placement, command.Timeout, command.WorkDirectory, controlDirectory, command.Stdin, task);
            return new Job(slurm, job, controlDirectory, searchPath, job.StdoutFile is null ? command.Stdin : []);
        }
        catch
        {
            DeleteControl(controlDirectory);
            throw;
        }
    }

    private static void DeleteControl(string controlDirectory)
    {
        if (Directory.Exists(controlDirectory))
        {
            Workspace.Delete(controlDirectory);
        }
    }

    private sealed class Job(SlurmLauncher slurm, SlurmLaunch launch, string controlDirectory, string searchPath, byte[] stdin) : ILaunchedTask
    {
        private TimeSpan _nextPoll = s_queuePoll;
        private TaskQueue _queue;
        private bool _left;

        public IReadOnlyList<string> Command => launch.Command;

        public IReadOnlyDictionary<string, string> Environment { get; } = slurm.ClientEnvironment(searchPath);

        /// <summary>A batch job reads its input from a file; sbatch itself gets none.</summary>
        public byte[] Stdin => stdin;

        /// <summary>
        /// Follows the job until it leaves the queue, once a second, moving the start of its wall clock along while
        /// it waits (so up to a second of waiting may remain in the measured time).
        /// </summary>
        public async ValueTask<TaskQueue> QueueAsync(TimeSpan elapsed)
        {
            if (_left || elapsed < _nextPoll)
            {
                return _queue;
            }

            var state = await slurm.StateAsync(launch, searchPath);
            _nextPoll = elapsed + s_queuePoll;
            if (state is null)
            {
                // Not submitted yet, or already gone: look again.
                return _queue;
            }

            if (!state.Pending)
            {
                _left = true;
                return _queue;
            }

            var fault = SlurmLauncher.NeverStarts(state)
                ?? (elapsed > slurm.MaxQueueWait ? $"waited {elapsed.TotalSeconds:0} s in Slurm's queue (pending: {state.Reason})" : null);
            _queue = new TaskQueue(elapsed, fault);
            return _queue;
        }

        /// <summary>The larger of a batch job's two output files: what it wrote so far.</summary>
        public long UnpipedOutputBytes() =>
            launch is { StdoutFile: { } outFile, StderrFile: { } errFile }
                ? new[] { outFile, errFile }.Max(path => File.Exists(path) ? new FileInfo(path).Length : 0)
                : 0;

        /// <summary>sbatch says nothing when it succeeds; the job's output is in the files the cluster wrote.</summary>
        public (byte[] Stdout, byte[] Stderr) UnpipedOutput(int limit) =>
            launch is { StdoutFile: { } outFile, StderrFile: { } errFile } ? (ReadCapped(outFile, limit), ReadCapped(errFile, limit)) : ([], []);

        public string? Refused(string stderr) => SlurmLauncher.Refused(stderr);

        /// <summary>Killing srun or sbatch leaves the job on the cluster: it is cancelled, and gone, before the run returns.</summary>
        public Task AbandonAsync() => slurm.CancelAsync(launch, searchPath);

        public void Dispose() => DeleteControl(controlDirectory);

        private static byte[] ReadCapped(string path, int limit)
        {
            if (!File.Exists(path))
            {
                return [];
            }

            using var file = File.OpenRead(path);
            var bytes = new byte[(int)Math.Min(file.Length, limit + 1L)];
            file.ReadExactly(bytes);
            return bytes;
        }
    }
}
