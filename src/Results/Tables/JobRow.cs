using System.Text.Json.Serialization;
using Kernelsmith.Contracts.Experiments;

namespace Kernelsmith.Results.Tables;

/// <summary>One row of <c>tables/jobs</c>: one build or run job of one experiment on an agent (the job timeline).</summary>
public sealed class JobRow
{
    [JsonPropertyName("experiment")] public string Experiment { get; init; } = "";
    [JsonPropertyName("job")] public string Job { get; init; } = "";
    [JsonPropertyName("kind")] public string Kind { get; init; } = "";
    [JsonPropertyName("agent")] public string Agent { get; init; } = "";
    [JsonPropertyName("exclusive")] public bool Exclusive { get; init; }
    [JsonPropertyName("cached")] public bool Cached { get; init; }
    [JsonPropertyName("cores")] public string Cores { get; init; } = "";
    [JsonPropertyName("core_count")] public int CoreCount { get; init; }
    [JsonPropertyName("queued_unix_ms")] public long QueuedUnixMs { get; init; }
    [JsonPropertyName("started_unix_ms")] public long StartedUnixMs { get; init; }
    [JsonPropertyName("finished_unix_ms")] public long FinishedUnixMs { get; init; }
    [JsonPropertyName("wait_ms")] public long WaitMs { get; init; }
    [JsonPropertyName("run_ms")] public long RunMs { get; init; }

    public static IEnumerable<JobRow> From(ExperimentRecord record) => record.Jobs.Select(job => new JobRow
    {
        Experiment = record.Experiment,
        Job = job.Job,
        Kind = job.Kind,
        Agent = job.Agent,
        Exclusive = job.Exclusive,
        Cached = job.Cached,
        Cores = string.Join(' ', job.Cores),
        CoreCount = job.Cores.Count,
        QueuedUnixMs = job.QueuedUnixMs,
        StartedUnixMs = job.StartedUnixMs,
        FinishedUnixMs = job.FinishedUnixMs,
        WaitMs = job.StartedUnixMs - job.QueuedUnixMs,
        RunMs = job.FinishedUnixMs - job.StartedUnixMs,
    });
}
