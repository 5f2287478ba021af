using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;

namespace Kernelsmith.Silo.Dashboard;

/// <summary>
/// A sweep page's filters (query string: <c>kernel</c>, <c>model</c> (its id in the spec), <c>technology</c>,
/// <c>verdict</c>); empty means all. Records name their model as it appears in tables (<see cref="ModelName"/>).
/// </summary>
public sealed record SweepFilter(string? Kernel, string? Model, string? Technology, string? Verdict)
{
    public string? ModelName { get; init; }

    public static SweepFilter From(IQueryCollection query, SweepEntry entry)
    {
        static string? Value(IQueryCollection query, string key) => query[key].ToString() is { Length: > 0 } value ? value : null;
        var model = Value(query, "model");
        return new(Value(query, "kernel"), model, Value(query, "technology"), Value(query, "verdict"))
        {
            ModelName = model is null ? null : entry.Models.FirstOrDefault(m => m.Id == model)?.DisplayName ?? model,
        };
    }

    public bool Matches(ExperimentRecord record) =>
        (Kernel is null || record.Kernel == Kernel)
        && (ModelName is null || record.Model == ModelName)
        && (Technology is null || record.Technology == Technology)
        && (Verdict is null || record.Verdict.ToWireName() == Verdict);

    /// <summary>The filters as a query string (with its <c>?</c>), or empty.</summary>
    public string Query()
    {
        var parts = new[] { ("kernel", Kernel), ("model", Model), ("technology", Technology), ("verdict", Verdict) }
            .Where(p => p.Item2 is not null).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2!)}").ToList();
        return parts.Count == 0 ? "" : "?" + string.Join('&', parts);
    }
}
