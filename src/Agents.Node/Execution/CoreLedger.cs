namespace Kernelsmith.Agents.Node.Execution;

/// <summary>
/// Hands out the machine's cores. A timing run at N threads takes N cores for itself; builds and
/// correctness runs take one each, so they never share a core with a timing run. Requests are admitted
/// one at a time, so a large request is not starved by a stream of small ones.
/// </summary>
public sealed class CoreLedger(int cores)
{
    private readonly SemaphoreSlim _free = new(cores, cores);
    private readonly SemaphoreSlim _admission = new(1, 1);

    public int Cores { get; } = cores;

    public int Busy => Cores - _free.CurrentCount;

    public async Task<IAsyncDisposable> ReserveAsync(int count, CancellationToken cancellationToken)
    {
        count = Math.Clamp(count, 1, Cores);
        await _admission.WaitAsync(cancellationToken);
        var taken = 0;
        try
        {
            for (; taken < count; taken++)
            {
                await _free.WaitAsync(cancellationToken);
            }
        }
        catch
        {
            if (taken > 0)
            {
                _free.Release(taken);
            }

            throw;
        }
        finally
        {
            _admission.Release();
        }

        return new Reservation(_free, count);
    }

    private sealed class Reservation(SemaphoreSlim free, int count) : IAsyncDisposable
    {
        private int _released;

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                free.Release(count);
            }

            return ValueTask.CompletedTask;
        }
    }
}
