namespace Kernelsmith.Agents.Node.Execution;

/// <summary>
/// Hands out the machine's cores by id. A timing run at N threads takes N cores for itself; builds and
/// correctness runs take one each; every job is pinned to the cores it holds, so none shares a core with a
/// timing run. Requests are admitted one at a time, so a large request is not starved by a stream of small ones.
/// </summary>
public sealed class CoreLedger
{
    private readonly int[] _cores;
    private readonly bool[] _held;
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _admission = new(1, 1);
    private TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _waiting;

    public CoreLedger(IReadOnlyList<int> cores)
    {
        if (cores.Count == 0)
        {
            throw new ArgumentException("the ledger needs at least one core", nameof(cores));
        }

        _cores = [.. cores.Distinct().Order()];
        _held = new bool[_cores.Length];
    }

    public int Cores => _cores.Length;

    public int Busy
    {
        get
        {
            lock (_lock)
            {
                return _held.Count(h => h);
            }
        }
    }

    /// <summary>Jobs waiting for cores: the agent's queue, reported in its heartbeat.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Waits until <paramref name="count"/> cores (at most all of them) are free and takes them.</summary>
    public async Task<CoreReservation> ReserveAsync(int count, CancellationToken cancellationToken)
    {
        count = Math.Clamp(count, 1, Cores);
        Interlocked.Increment(ref _waiting);
        try
        {
            await _admission.WaitAsync(cancellationToken);
        }
        catch
        {
            Interlocked.Decrement(ref _waiting);
            throw;
        }

        try
        {
            while (true)
            {
                Task released;
                lock (_lock)
                {
                    var free = Enumerable.Range(0, _held.Length).Where(i => !_held[i]).Take(count).ToArray();
                    if (free.Length == count)
                    {
                        foreach (var index in free)
                        {
                            _held[index] = true;
                        }

                        Interlocked.Decrement(ref _waiting);
                        return new CoreReservation(this, free);
                    }

                    released = _released.Task;
                }

                try
                {
                    await released.WaitAsync(cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    Interlocked.Decrement(ref _waiting);
                    throw;
                }
            }
        }
        finally
        {
            _admission.Release();
        }
    }

    private void Release(int[] indices)
    {
        TaskCompletionSource released;
        lock (_lock)
        {
            foreach (var index in indices)
            {
                _held[index] = false;
            }

            released = _released;
            _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        released.TrySetResult();
    }

    /// <summary>Cores held by one job until disposed.</summary>
    public sealed class CoreReservation : IDisposable
    {
        private readonly CoreLedger _ledger;
        private readonly int[] _indices;
        private int _released;

        internal CoreReservation(CoreLedger ledger, int[] indices)
        {
            _ledger = ledger;
            _indices = indices;
            Cores = [.. indices.Select(i => ledger._cores[i])];
        }

        /// <summary>The logical CPU ids, for taskset and the job's record.</summary>
        public IReadOnlyList<int> Cores { get; }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                _ledger.Release(_indices);
            }
        }
    }
}
