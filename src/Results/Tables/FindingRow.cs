using System.Text.Json.Serialization;
using Kernelsmith.Contracts.Experiments;

namespace Kernelsmith.Results.Tables;

/// <summary>One row of <c>tables/findings</c>: one classified error of one experiment, in the order found (docs/taxonomy.md).</summary>
public sealed class FindingRow
{
    [JsonPropertyName("experiment")] public string Experiment { get; init; } = "";
    [JsonPropertyName("model_id")] public string ModelId { get; init; } = "";
    [JsonPropertyName("index")] public int Index { get; init; }
    [JsonPropertyName("stage")] public string Stage { get; init; } = "";
    [JsonPropertyName("category")] public string Category { get; init; } = "";
    [JsonPropertyName("message")] public string Message { get; init; } = "";

    public static IEnumerable<FindingRow> From(ExperimentRecord record) => record.Taxonomy.Select((finding, index) => new FindingRow
    {
        Experiment = record.Experiment,
        ModelId = ExperimentRow.ModelIdOf(record),
        Index = index,
        Stage = finding.Stage,
        Category = finding.Category,
        Message = finding.Message,
    });
}
