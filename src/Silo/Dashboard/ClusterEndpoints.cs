using static Kernelsmith.Silo.Dashboard.Html;

namespace Kernelsmith.Silo.Dashboard;

/// <summary>The Cluster page and its event stream (one shared reading per silo, every 2 s at most).</summary>
public static class ClusterEndpoints
{
    public static void Map(RouteGroupBuilder pages)
    {
        pages.MapGet("/cluster", async (HttpContext context, ClusterPage page) =>
        {
            var body = $"<div id=\"{ClusterPage.BodyId}\">{await page.RenderAsync(context.RequestAborted)}</div>";
            return Result(Page("Cluster", "Cluster", body, context.User.Identity?.Name, "/events/cluster"));
        });

        pages.MapGet("/events/cluster", (HttpContext context, ClusterPage page) =>
        {
            var poll = page.Feed;
            var watches = new List<IDisposable>();
            return ServerSentEvents.StreamAsync(context, async (changed, cancellationToken) =>
            {
                if (watches.Count == 0)
                {
                    watches.Add(poll.Watch(changed));
                }

                return new Dictionary<string, string> { [ClusterPage.BodyId] = poll.Current ?? await poll.GetAsync(cancellationToken) };
            }, watches);
        });
    }
}
