namespace Kernelsmith.Silo.Dashboard;

/// <summary>
/// One reader for many watchers: while anyone watches, <c>read</c> runs once per interval and each watcher is told when
/// the value changed; with no watcher, nothing runs. However many browsers watch, the cluster is asked once per silo.
/// </summary>
public sealed partial class SharedPoll<T>(string name, Func<CancellationToken, Task<T>> read, Func<T?, T, bool> changed, TimeSpan interval, ILogger logger)
    where T : class
{
    private readonly Lock _gate = new();
    private readonly List<Action> _watchers = [];
    private CancellationTokenSource? _running;

    /// <summary>The latest value read, or null before the first read.</summary>
    public T? Current { get; private set; }

    /// <summary>Reads now (a page being rendered), unless a watcher's loop keeps <see cref="Current"/> fresh already.</summary>
    public async Task<T> GetAsync(CancellationToken cancellationToken)
    {
        if (_running is null || Current is null)
        {
            await RefreshAsync(cancellationToken);
        }

        return Current!;
    }

    /// <summary>Calls <paramref name="onChange"/> after every read that changed the value, until the result is disposed.</summary>
    public IDisposable Watch(Action onChange)
    {
        lock (_gate)
        {
            _watchers.Add(onChange);
            if (_running is null)
            {
                _running = new CancellationTokenSource();
                _ = LoopAsync(_running.Token);
            }
        }

        return new Unwatch(this, onChange);
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(interval);
        do
        {
            try
            {
                if (await RefreshAsync(cancellationToken))
                {
                    Action[] watchers;
                    lock (_gate)
                    {
                        watchers = [.. _watchers];
                    }

                    foreach (var watcher in watchers)
                    {
                        watcher();
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The cluster may be recovering (a silo died, Redis restarts): the watchers keep the last value.
                LogReadFailed(logger, name, e.Message);
            }
        }
        while (await WaitAsync(timer, cancellationToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken cancellationToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task<bool> RefreshAsync(CancellationToken cancellationToken)
    {
        var value = await read(cancellationToken);
        var differs = changed(Current, value);
        Current = value;
        return differs;
    }

    private void Remove(Action onChange)
    {
        lock (_gate)
        {
            _watchers.Remove(onChange);
            if (_watchers.Count == 0 && _running is not null)
            {
                _running.Cancel();
                _running.Dispose();
                _running = null;
            }
        }
    }

    private sealed class Unwatch(SharedPoll<T> poll, Action onChange) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                poll.Remove(onChange);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Dashboard feed {Feed} could not read the cluster: {Problem}")]
    private static partial void LogReadFailed(ILogger logger, string feed, string problem);
}
