using Orleans.Runtime;
using Orleans.Storage;

namespace Kernelsmith.Grains.Cluster;

/// <summary>
/// Failures caused by a silo's or Redis's disappearance, not by the work: they pass once the cluster has recovered
/// (a dead silo declared dead and its grains placed elsewhere, Redis back), so every caller retries them, for as long
/// as the cluster takes, and never turns them into a verdict.
/// </summary>
public static class ClusterFailures
{
    /// <summary>
    /// Phrases of the bare <see cref="OrleansException"/>s the grain directory throws while it catches up with a
    /// membership change (e.g. "Trying to register X on invalid silo: S... Known status: Dead"). Orleans gives them no
    /// type of their own; <c>ClusterFailuresTests</c> pins each against the shipped Orleans.Runtime.
    /// </summary>
    public static readonly IReadOnlyList<string> DirectoryPhrases = ["on invalid silo", "is not stable", "hop limit is reached", "is not owner of"];

    /// <summary>
    /// Runs <paramref name="call"/> again while it fails for the cluster's sake, waiting 0.5 s, then longer up to 5 s,
    /// for at most <paramref name="limit"/> (then the last failure is thrown). A killed silo takes the cluster some
    /// 10 to 30 s to declare dead; until then calls to grains that lived there fail or go unanswered.
    /// </summary>
    public static async Task<T> RetryAsync<T>(Func<Task<T>> call, TimeSpan limit, CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow;
        for (var wait = TimeSpan.FromMilliseconds(500); ; wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, s_longestWait.Ticks)))
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (IsTransient(e) && DateTime.UtcNow - started + wait < limit)
            {
                await Task.Delay(wait, cancellationToken);
            }
        }
    }

    private static readonly TimeSpan s_longestWait = TimeSpan.FromSeconds(5);

    /// <summary>True when <paramref name="exception"/> (or what it wraps) says the cluster, not the work, failed.</summary>
    public static bool IsTransient(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException or GatewayTooBusyException
                or ClientNotAvailableException || IsStorage(e) || IsDirectoryRace(e))
            {
                return true;
            }

            if (e is AggregateException { InnerExceptions.Count: > 1 } many)
            {
                return many.InnerExceptions.All(IsTransient);
            }
        }

        return false;
    }

    /// <summary>
    /// Grain storage that could not be reached: Redis restarting or loading its append-only file. The storage provider
    /// and StackExchange.Redis are the silo's, not this assembly's, so they are recognised by name. An etag conflict
    /// (<see cref="InconsistentStateException"/>) is not one: retrying it on the same activation can never succeed.
    /// </summary>
    private static bool IsStorage(Exception e) =>
        e is not InconsistentStateException
        && (e.GetType().Name == "RedisStorageException" || e.GetType().Namespace == "StackExchange.Redis");

    private static bool IsDirectoryRace(Exception e) =>
        e.GetType() == typeof(OrleansException) && DirectoryPhrases.Any(p => e.Message.Contains(p, StringComparison.Ordinal));
}
