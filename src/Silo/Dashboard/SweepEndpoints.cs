using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Silo.Services;
using Microsoft.Extensions.Options;
using static Kernelsmith.Silo.Dashboard.Html;
using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Kernelsmith.Silo.Dashboard;

/// <summary>One sweep's page and event stream, and one experiment's page.</summary>
public static class SweepEndpoints
{
    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/sweeps/{sweepId}", async (HttpContext context, string sweepId, SweepFeeds feeds, SweepPlots plots) =>
        {
            if (await EntryAsync(feeds, sweepId, context.RequestAborted) is not { } entry)
            {
                return NotFound(context, $"No sweep '{sweepId}' is listed on this cluster.");
            }

            var filter = SweepFilter.From(context.Request.Query, entry);
            var view = await feeds.Sweep(sweepId).GetAsync(context.RequestAborted);
            var body = SweepPage.Body(entry, view, filter, SweepsPage.Actions(entry, view, DashboardLogin.Of(context)), plots.Get(sweepId, filter, view).Html);
            return Result(Page($"Sweep {entry.Name}", "Sweeps", body, context.User.Identity?.Name, $"/events/sweeps/{U(sweepId)}{filter.Query()}"));
        });

        pages.MapGet("/events/sweeps/{sweepId}", async (HttpContext context, string sweepId, SweepFeeds feeds, SweepPlots plots) =>
        {
            if (await EntryAsync(feeds, sweepId, context.RequestAborted) is not { } entry)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }

            var caller = DashboardLogin.Of(context);
            var filter = SweepFilter.From(context.Request.Query, entry);
            var feed = feeds.Sweep(sweepId);
            var watches = new List<IDisposable>();
            await ServerSentEvents.StreamAsync(context, async (changed, cancellationToken) =>
            {
                if (watches.Count == 0)
                {
                    watches.Add(feed.Watch(changed));
                }

                var view = feed.Current ?? await feed.GetAsync(cancellationToken);
                var fragments = SweepPage.Live(entry, view, filter).ToDictionary(p => p.Id, p => p.Html);
                fragments["summary-actions"] = SweepsPage.Actions(entry, view, caller);
                fragments["plots"] = plots.Get(sweepId, filter, view).Html;
                return fragments;
            }, watches);
        });

        pages.MapGet("/sweeps/{sweepId}/experiments/{experimentId}", async (
            HttpContext context, string sweepId, string experimentId, SweepFeeds feeds, SweepReads reads, IOptions<DashboardOptions> options) =>
        {
            // Experiment ids hold slashes (sweep/kernel/technology/model/prompt/sample): escaped in the link, left escaped by routing.
            experimentId = Uri.UnescapeDataString(experimentId);
            var view = await feeds.Sweep(sweepId).GetAsync(context.RequestAborted);
            if (view.Records.Find(r => r.Experiment == experimentId) is not { } record)
            {
                return NotFound(context, view.Progress.Total == 0
                    ? $"No sweep '{sweepId}' is listed on this cluster."
                    : $"Experiment '{experimentId}' has no record in sweep '{sweepId}' yet: its page opens once it has finished.");
            }

            var attempts = await reads.AttemptsAsync(experimentId);
            var title = $"{record.Kernel} / {record.Model} / {record.Technology} / {record.Prompt} / {record.Sample}";
            var back = $"<p><a href=\"/sweeps/{U(sweepId)}\">Back to the sweep</a></p>";
            return Result(Page(title, "Sweeps", back + ExperimentPage.Body(record, attempts, options.Value.JaegerUrl), context.User.Identity?.Name));
        });
    }

    private static async Task<SweepEntry?> EntryAsync(SweepFeeds feeds, string sweepId, CancellationToken cancellationToken) =>
        (feeds.Index.Current?.FirstOrDefault(e => e.SweepId == sweepId)) ?? (await feeds.Index.GetAsync(cancellationToken)).FirstOrDefault(e => e.SweepId == sweepId);

    private static IResult NotFound(HttpContext context, string message) =>
        HttpResults.Content(Page("Not found", "Sweeps", $"<p role=\"alert\">{E(message)}</p><p><a href=\"/\">All sweeps</a></p>", context.User.Identity?.Name),
            "text/html; charset=utf-8", statusCode: StatusCodes.Status404NotFound);
}
