using System.Text;
using Kernelsmith.Contracts.Experiments;
using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.ServiceDefaults.Security;
using static Kernelsmith.Silo.Dashboard.Html;

namespace Kernelsmith.Silo.Dashboard;

/// <summary>The Sweeps page: every submitted sweep with its progress, rate, time left, tokens and cost, verdicts, and controls.</summary>
public static class SweepsPage
{
    public const string BodyId = "sweeps";

    public static readonly string[] Headers = ["Sweep", "Submitted by", "Progress", "Active", "Rate / time left", "Tokens / cost (budget)", "Verdicts", "State", "Actions"];

    public static string Body(IReadOnlyList<(SweepEntry Entry, SweepView View)> sweeps, ApiCaller caller) =>
        sweeps.Count == 0
            ? $"<p id=\"{BodyId}-empty\">No sweep has been submitted to this cluster yet. This page updates when one is.</p>" + Table("Sweeps", Headers, [], BodyId)
            : Table("Sweeps", Headers, sweeps.Reverse().Select(s => Row(s.Entry, s.View, caller)), BodyId);

    public static string Row(SweepEntry entry, SweepView view, ApiCaller caller)
    {
        var id = IdOf(entry.SweepId);
        var row = new StringBuilder($"<tr id=\"{id}\">");
        row.Append($"<th scope=\"row\"><a href=\"/sweeps/{U(entry.SweepId)}\">{E(entry.Name)}</a><br><small>{E(entry.SweepId)}</small></th>");
        row.Append($"<td>{E(entry.Submitter)}</td>");
        foreach (var (cell, html) in Cells(entry, view))
        {
            row.Append($"<td id=\"{id}-{cell}\">{html}</td>");
        }

        row.Append($"<td id=\"{id}-actions\">{Actions(entry, view, caller)}</td></tr>");
        return row.ToString();
    }

    /// <summary>The cells that change as the sweep runs, by name: what the live stream sends.</summary>
    public static IEnumerable<(string Cell, string Html)> Cells(SweepEntry entry, SweepView view)
    {
        var p = view.Progress;
        yield return ("progress", $"<progress max=\"{Math.Max(p.Total, 1)}\" value=\"{p.Recorded}\" aria-label=\"recorded of {p.Total}\"></progress> "
            + $"<span data-recorded=\"{p.Recorded}\">{N(p.Recorded)}</span> / {N(p.Total)}");
        yield return ("active", N(p.Running));
        yield return ("rate", view.PerMinute is { } rate ? $"{N(rate, "0.#")} / min<br>{Duration(view.Left)} left" : p.IsComplete ? "done" : "–");
        yield return ("cost", Cost(entry, view));
        yield return ("verdicts", Verdicts(p.ByVerdict));
        yield return ("state", State(p));
    }

    public static string Actions(SweepEntry entry, SweepView view, ApiCaller caller)
    {
        if (!caller.MayControl(entry.Submitter) || view.Progress.IsComplete)
        {
            return "";
        }

        var (action, label) = view.Progress.Cancelled ? ("resume", "Resume") : ("cancel", "Cancel");
        return $"<form method=\"post\" action=\"/sweeps/{U(entry.SweepId)}/{action}\"><button type=\"submit\" aria-label=\"{label} sweep {E(entry.Name)}\">{label}</button></form>";
    }

    public static string State(SweepProgress p) => p switch
    {
        { IsComplete: true } => "<span class=\"state done\">finished</span>",
        { Cancelled: true } => "<span class=\"state cancelled\">cancelled</span>",
        { Waiting.Count: > 0 } => $"<span class=\"state waiting\">waiting</span><br><small>{E(string.Join("; ", p.Waiting))}</small>",
        _ => "<span class=\"state running\">running</span>",
    };

    public static string Verdicts(IReadOnlyDictionary<Verdict, int> byVerdict) =>
        byVerdict.Count == 0 ? "–" : string.Join(" ", byVerdict.OrderBy(v => v.Key).Select(v => $"<span class=\"verdict {v.Key.ToWireName()}\">{v.Key.ToWireName()} {v.Value}</span>"));

    private static string Cost(SweepEntry entry, SweepView view)
    {
        var budget = entry.Budget is null ? "" : $" <small>(budget {(entry.Budget.MaxTokens is { } t ? N(t) + " tokens" : "")}"
            + $"{(entry.Budget.MaxTokens is not null && entry.Budget.MaxCostUsd is not null ? ", " : "")}{(entry.Budget.MaxCostUsd is { } c ? "$" + N(c, "0.00") : "")})</small>";
        return $"{N(view.Tokens)} tokens<br>${N(view.Cost, "0.00")}{budget}";
    }

    /// <summary>An element id for a sweep: its id's letters and digits, the rest as dashes.</summary>
    public static string IdOf(string sweepId) => "sweep-" + new string([.. sweepId.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);
}
