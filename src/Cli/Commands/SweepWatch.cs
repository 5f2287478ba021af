using System.Text.Json;
using Grpc.Core;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Protos;
using Kernelsmith.Results;

namespace Kernelsmith.Cli.Commands;

/// <summary>
/// The one loop that brings a sweep's records home, for <c>watch</c>, <c>results</c> and <c>run</c> alike: it follows the
/// sweep API through <see cref="ClusterClient"/> (on to the next silo when one dies), writes each record once to the
/// results directory, and hands status updates and new records to the command's own display.
/// </summary>
internal sealed class SweepWatch(ClusterClient connection, string sweepId, ResultsDirectory results, IEnumerable<ExperimentRecord> held)
{
    private readonly List<ExperimentRecord> _records = [.. held];
    private readonly HashSet<string> _known = [.. held.Select(r => r.Experiment)];

    /// <summary>Called with each status the sweep sends while followed.</summary>
    public Action<SweepStatus> OnStatus { get; init; } = _ => { };

    /// <summary>Called with each new record, once it is written to the results directory.</summary>
    public Action<ExperimentRecord> OnRecord { get; init; } = _ => { };

    /// <summary>
    /// Follows the sweep until it completes or is cancelled (<paramref name="follow"/>), or fetches the records recorded
    /// so far; returns every record held: those held before, then the new ones. Records come in recording order: after a silo died, the stream starts again on another at the first
    /// record not yet held, and a record seen twice is still written once.
    /// </summary>
    public async Task<IReadOnlyList<ExperimentRecord>> RunAsync(bool follow, CancellationToken cancellationToken)
    {
        await connection.FollowAsync(async client =>
        {
            var request = new WatchRequest { SweepId = sweepId, From = _records.Count };
            if (follow)
            {
                using var call = client.Watch(request, cancellationToken: cancellationToken);
                await foreach (var update in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    connection.Heard();
                    if (update.UpdateCase == SweepUpdate.UpdateOneofCase.Record)
                    {
                        Append(update.Record);
                    }
                    else
                    {
                        OnStatus(update.Status);
                    }
                }
            }
            else
            {
                using var call = client.Results(request, cancellationToken: cancellationToken);
                await foreach (var record in call.ResponseStream.ReadAllAsync(cancellationToken))
                {
                    connection.Heard();
                    Append(record);
                }
            }
        }, cancellationToken);
        return _records;
    }

    private void Append(ResultRecord wire)
    {
        var record = JsonSerializer.Deserialize<ExperimentRecord>(wire.Json, ResultsDirectory.Json)!;
        if (!_known.Add(record.Experiment))
        {
            return;
        }

        record = record with { Attempts = JsonSerializer.Deserialize<List<Attempt>>(wire.AttemptsJson) ?? [] };
        results.Append(record);
        OnRecord(record);
        // The attempts are in the results directory now; kept in memory for every record, a large sweep's watch would
        // hold every prompt and answer until it ends.
        _records.Add(record with { Attempts = [] });
    }
}
