using Kernelsmith.Contracts.Sweeps;
using Kernelsmith.Silo.Services;
using static Kernelsmith.Silo.Dashboard.Html;

using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Kernelsmith.Silo.Dashboard;

/// <summary>The Sweeps page, its event stream, and the cancel and resume buttons.</summary>
public static partial class SweepsEndpoints
{
    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/", async (HttpContext context, SweepFeeds feeds) =>
        {
            var sweeps = await ViewsAsync(feeds, await feeds.Index.GetAsync(context.RequestAborted), context.RequestAborted);
            return Result(Page("Sweeps", "Sweeps", SweepsPage.Body(sweeps, DashboardLogin.Of(context)), context.User.Identity?.Name, "/events/sweeps"));
        });

        pages.MapGet("/events/sweeps", (HttpContext context, SweepFeeds feeds) =>
        {
            var caller = DashboardLogin.Of(context);
            var watched = new HashSet<string>();
            var shown = -1;
            var watches = new List<IDisposable>();
            return ServerSentEvents.StreamAsync(context, async (changed, cancellationToken) =>
            {
                if (watches.Count == 0)
                {
                    watches.Add(feeds.Index.Watch(changed));
                }

                var entries = feeds.Index.Current ?? await feeds.Index.GetAsync(cancellationToken);
                foreach (var entry in entries.Where(e => watched.Add(e.SweepId)))
                {
                    watches.Add(feeds.Sweep(entry.SweepId).Watch(changed));
                }

                var sweeps = await ViewsAsync(feeds, entries, cancellationToken);
                var fragments = new Dictionary<string, string>();
                if (sweeps.Count != shown)
                {
                    // A sweep was listed since the last event: the whole table, once.
                    fragments[SweepsPage.BodyId] = string.Concat(sweeps.AsEnumerable().Reverse().Select(s => SweepsPage.Row(s.Entry, s.View, caller)));
                    fragments[$"{SweepsPage.BodyId}-empty"] = "";
                }

                shown = sweeps.Count;
                foreach (var (entry, view) in sweeps)
                {
                    var id = SweepsPage.IdOf(entry.SweepId);
                    foreach (var (cell, html) in SweepsPage.Cells(entry, view))
                    {
                        fragments[$"{id}-{cell}"] = html;
                    }

                    fragments[$"{id}-actions"] = SweepsPage.Actions(entry, view, caller);
                }

                return fragments;
            }, watches);
        });

        pages.MapPost("/sweeps/{sweepId}/{action:regex(^(cancel|resume)$)}", async (HttpContext context, string sweepId, string action, SweepReads reads, IGrainFactory grains) =>
        {
            if (context.Request.Headers.Origin is [{ } origin] && origin != $"{context.Request.Scheme}://{context.Request.Host}")
            {
                // SameSite=Strict already keeps other sites' forms from carrying the cookie; a foreign Origin is refused too.
                return HttpResults.Problem($"a {action} request from {origin} is not this dashboard's", statusCode: StatusCodes.Status403Forbidden);
            }

            var caller = DashboardLogin.Of(context);
            if ((await reads.ProgressAsync(sweepId)).Total == 0)
            {
                return HttpResults.NotFound($"no sweep '{sweepId}'");
            }

            var owner = await reads.OwnerAsync(sweepId);
            if (!caller.MayControl(owner))
            {
                return HttpResults.Content(Page("Not allowed", "", $"<p role=\"alert\">Sweep {E(sweepId)} was submitted by {E(owner ?? "an earlier version")}: only that user or an admin may {E(action)} it.</p>",
                    caller.Name), "text/html; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
            }

            var sweep = grains.GetGrain<ISweepGrain>(sweepId);
            await (action == "cancel" ? sweep.CancelAsync() : sweep.ResumeAsync());
            LogControlled(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Kernelsmith.Dashboard"), caller.Name, action, sweepId);
            // Back to the page the button was on (the Sweeps page or the sweep's own).
            return HttpResults.Redirect(Uri.TryCreate(context.Request.Headers.Referer.ToString(), UriKind.Absolute, out var from)
                && from.Authority == context.Request.Host.Value ? LoginEndpoints.LocalOrHome(from.PathAndQuery) : "/");
        }).DisableAntiforgery();
    }

    /// <summary>Each listed sweep with its feed's view (read now unless a stream keeps it fresh).</summary>
    public static async Task<IReadOnlyList<(SweepEntry Entry, SweepView View)>> ViewsAsync(SweepFeeds feeds, IReadOnlyList<SweepEntry> entries, CancellationToken cancellationToken)
    {
        var views = await Task.WhenAll(entries.Select(e => feeds.Sweep(e.SweepId).GetAsync(cancellationToken)));
        return [.. entries.Zip(views)];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{User} asked from the dashboard to {Action} sweep {SweepId}")]
    private static partial void LogControlled(ILogger logger, string user, string action, string sweepId);
}
