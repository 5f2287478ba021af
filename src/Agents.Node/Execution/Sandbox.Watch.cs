using System.Diagnostics;
using Kernelsmith.Agents.Node.Hosting;
using Microsoft.Extensions.Options;

namespace Kernelsmith.Agents.Node.Execution;

/// <summary>The sandbox's watch on a running job and its capped output buffers.</summary>
public sealed partial class Sandbox
{
    /// <summary>
    /// Looks at a running job every tick: kills it when it outlives its time or goes over its memory, disk or output
    /// limit, and reports its output and resource use to the observer.
    /// </summary>
    private sealed class Watch(
        Process process,
        SandboxCommand command,
        CappedBuffer stdout,
        CappedBuffer stderr,
        ILaunchedTask launched,
        AgentOptions options,
        ISandboxObserver? observer,
        Stopwatch clock)
    {
        private long _lastTicks;
        private TimeSpan _lastSample;

        /// <summary>How long the task was last seen waiting to start: its run's clock starts there.</summary>
        public TimeSpan Queued { get; private set; }

        /// <summary>Why the agent gave up on a task that could not start.</summary>
        public string? Fault { get; private set; }

        public bool TimedOut { get; private set; }

        public LimitHit? Killed { get; private set; }

        public long PeakPrivateBytes { get; private set; }

        public int PeakProcesses { get; private set; }

        public async Task RunAsync(CancellationToken cancellationToken)
        {
            var exited = process.WaitForExitAsync(CancellationToken.None);
            for (var tick = 1; ; tick++)
            {
                var remaining = command.Timeout + Queued - clock.Elapsed;
                var wait = remaining < s_tick ? remaining : s_tick;
                if (wait > TimeSpan.Zero)
                {
                    await Task.WhenAny(exited, Task.Delay(wait, cancellationToken));
                }

                cancellationToken.ThrowIfCancellationRequested();
                if (exited.IsCompleted)
                {
                    return;
                }

                var queue = await launched.QueueAsync(clock.Elapsed);
                Queued = queue.Waited;
                if (queue.Fault is { } fault)
                {
                    Fault = fault;
                    Kill();
                    return;
                }

                if (clock.Elapsed - Queued >= command.Timeout)
                {
                    TimedOut = true;
                    Kill();
                    return;
                }

                var usage = Measure();
                if (Over(usage) is { } limit)
                {
                    Killed = limit;
                    Kill();
                    return;
                }

                if (observer is not null && tick % TicksPerReport == 0)
                {
                    await ReportOutputAsync();
                    await observer.UsageAsync(usage);
                }
            }
        }

        public async Task ReportOutputAsync()
        {
            if (stdout.TakeUnsent(StreamedBytes) is { Length: > 0 } outChunk)
            {
                await observer!.OutputAsync(false, outChunk);
            }

            if (stderr.TakeUnsent(StreamedBytes) is { Length: > 0 } errChunk)
            {
                await observer!.OutputAsync(true, errChunk);
            }
        }

        private ResourceUsage Measure()
        {
            var tree = ProcessTree.Measure(process.Id);
            var now = clock.Elapsed;
            var cpuSeconds = (tree.CpuTicks - _lastTicks) / ProcessTree.TicksPerSecond;
            var interval = (now - _lastSample).TotalSeconds;
            _lastTicks = tree.CpuTicks;
            _lastSample = now;
            PeakPrivateBytes = Math.Max(PeakPrivateBytes, tree.PrivateBytes);
            PeakProcesses = Math.Max(PeakProcesses, tree.Processes);
            var cpuPercent = interval > 0 ? Math.Max(0, cpuSeconds / interval * 100) : 0;
            return new ResourceUsage(now, cpuPercent, tree.PrivateBytes, tree.Processes, Workspace.DiskUsage(command.WorkDirectory));
        }

        private LimitHit? Over(ResourceUsage usage)
        {
            var limits = options.Limits;
            if (usage.PrivateBytes > limits.MemoryBytes)
            {
                return new LimitHit("memory", $"memory limit {SandboxLimits.Bytes(limits.MemoryBytes)}");
            }

            if (usage.DiskBytes > limits.DiskBytes)
            {
                return new LimitHit("disk", $"disk limit {SandboxLimits.Bytes(limits.DiskBytes)} in the work directory");
            }

            return stdout.Truncated || stderr.Truncated || launched.UnpipedOutputBytes() > options.MaxOutputBytes
                ? new LimitHit("output", $"output limit {SandboxLimits.Bytes(options.MaxOutputBytes)}")
                : null;
        }

        private void Kill()
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It exited on its own meanwhile.
            }
        }
    }

    /// <summary>A pipe drained into memory up to a capacity; what comes after is dropped and noted.</summary>
    private sealed class CappedBuffer(int capacity)
    {
        private readonly MemoryStream _kept = new();
        private readonly Lock _lock = new();
        private int _sent;

        public bool Truncated { get; private set; }

        public async Task DrainAsync(Stream stream)
        {
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(buffer)) > 0)
            {
                Append(buffer.AsSpan(0, read));
            }
        }

        /// <summary>Keeps data up to the capacity (output written outside the pipes arrives this way, as though down them).</summary>
        public void Append(ReadOnlySpan<byte> data)
        {
            lock (_lock)
            {
                var room = (int)Math.Min(data.Length, capacity - _kept.Length);
                if (room > 0)
                {
                    _kept.Write(data[..room]);
                }

                Truncated |= room < data.Length;
            }
        }

        /// <summary>What arrived since the last call, as long as no more than <paramref name="budget"/> bytes were sent in all.</summary>
        public byte[] TakeUnsent(int budget)
        {
            lock (_lock)
            {
                var count = (int)Math.Min(_kept.Length, budget) - _sent;
                if (count <= 0)
                {
                    return [];
                }

                var chunk = _kept.GetBuffer().AsSpan(_sent, count).ToArray();
                _sent += count;
                return chunk;
            }
        }

        /// <summary>Forgets the last bytes kept (what the agent's own tools appended).</summary>
        public void DropLast(int count)
        {
            lock (_lock)
            {
                _kept.SetLength(Math.Max(0, _kept.Length - count));
            }
        }

        public byte[] ToArray()
        {
            lock (_lock)
            {
                return _kept.ToArray();
            }
        }
    }
}
