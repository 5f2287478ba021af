using Kernelsmith.Contracts.Experiments;

namespace Kernelsmith.Silo.Dashboard;

/// <summary>A sweep page's filters (query string: <c>kernel</c>, <c>model</c>, <c>technology</c>, <c>verdict</c>); empty means all.</summary>
public sealed record SweepFilter(string? Kernel, string? Model, string? Technology, string? Verdict)
{
    public static SweepFilter From(IQueryCollection query)
    {
        static string? Value(IQueryCollection query, string key) => query[key].ToString() is { Length: > 0 } value ? value : null;
        return new(Value(query, "kernel"), Value(query, "model"), Value(query, "technology"), Value(query, "verdict"));
    }

    public bool Matches(ExperimentRecord record) =>
        (Kernel is null || record.Kernel == Kernel)
        && (Model is null || record.Model == Model)
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
