using System.Collections.Concurrent;
using System.Collections.Immutable;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Silo.Services;
using Microsoft.Extensions.Options;

namespace Kernelsmith.Silo.Dashboard;

/// <summary>
/// The silo's live feeds: one per watched sweep (its progress read once per interval, and only the records added since
/// the last read) and one for the list of sweeps. Every browser on this silo shares them.
/// </summary>
public sealed class SweepFeeds(SweepReads reads, IOptions<DashboardOptions> options, TimeProvider time, ILogger<SweepFeeds> logger)
{
    private const int Page = 500;
    private static readonly TimeSpan s_rateWindow = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, SharedPoll<SweepView>> _sweeps = new();
    private SharedPoll<IReadOnlyList<SweepEntry>>? _index;

    private TimeSpan Interval => TimeSpan.FromSeconds(options.Value.RefreshSeconds);

    /// <summary>The feed of the submitted sweeps (oldest first).</summary>
    public SharedPoll<IReadOnlyList<SweepEntry>> Index => LazyInitializer.EnsureInitialized(ref _index, () => new SharedPoll<IReadOnlyList<SweepEntry>>(
        "sweeps", _ => reads.SweepsAsync(), (before, now) => before is null || before.Count != now.Count, Interval, logger));

    /// <summary>The feed of one sweep.</summary>
    public SharedPoll<SweepView> Sweep(string sweepId) => _sweeps.GetOrAdd(sweepId, id =>
    {
        var reader = new Reader(reads, id, time);
        return new SharedPoll<SweepView>($"sweep {id}", reader.ReadAsync, SweepView.Changed, Interval, logger);
    });

    /// <summary>The latest view of every sweep this silo has read.</summary>
    public IEnumerable<SweepView> Watched() => _sweeps.Values.Select(feed => feed.Current).OfType<SweepView>();

    /// <summary>Reads a sweep's progress and the records added since its last read; the records it has are final.</summary>
    private sealed class Reader(SweepReads reads, string sweepId, TimeProvider time)
    {
        private readonly SemaphoreSlim _gate = new(1, 1);
        private readonly Queue<(DateTimeOffset At, int Recorded)> _samples = new();
        private ImmutableList<ExperimentRecord> _records = [];

        public async Task<SweepView> ReadAsync(CancellationToken cancellationToken)
        {
            await _gate.WaitAsync(cancellationToken);
            try
            {
                var progress = await reads.ProgressAsync(sweepId);
                while (_records.Count < progress.Recorded)
                {
                    var page = await reads.RecordsAsync(sweepId, _records.Count, Page);
                    if (page.Count == 0)
                    {
                        break;
                    }

                    // Attempts are read per experiment when its page is opened; the feed keeps the records alone.
                    _records = _records.AddRange(page.Select(r => r.Attempts.Count > 0 ? r with { Attempts = [] } : r));
                }

                var now = time.GetUtcNow();
                _samples.Enqueue((now, progress.Recorded));
                while (_samples.Count > 2 && now - _samples.Peek().At > s_rateWindow)
                {
                    _samples.Dequeue();
                }

                var (firstAt, firstRecorded) = _samples.Peek();
                var minutes = (now - firstAt).TotalMinutes;
                double? perMinute = minutes > 0.05 && progress.Recorded > firstRecorded ? (progress.Recorded - firstRecorded) / minutes : null;
                TimeSpan? left = perMinute is { } rate && !progress.IsComplete && !progress.Cancelled
                    ? TimeSpan.FromSeconds(Math.Round((progress.Total - progress.Recorded) / rate * 60))
                    : null;
                return new SweepView(progress, _records, perMinute, left, now);
            }
            finally
            {
                _gate.Release();
            }
        }
    }
}
