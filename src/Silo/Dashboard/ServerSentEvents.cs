using System.Text.Json;
using System.Threading.Channels;

namespace Kernelsmith.Silo.Dashboard;

/// <summary>
/// A page's event stream: after every change its feeds report, the page's changing parts rendered again and sent as one
/// event (<c>{"fragments": {element id: html}}</c>) that dashboard.js applies; a comment every 15 s keeps proxies from
/// closing an idle stream.
/// </summary>
public static class ServerSentEvents
{
    private static readonly TimeSpan s_keepAlive = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Streams until the browser leaves. <paramref name="render"/> is given a callback to hand to every feed it watches
    /// (it may start watching more, e.g. a sweep newly listed) and returns the fragments to send.
    /// </summary>
    public static async Task StreamAsync(HttpContext context, Func<Action, CancellationToken, Task<IReadOnlyDictionary<string, string>>> render, IList<IDisposable> watches)
    {
        var response = context.Response;
        response.Headers.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        var changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
        void Changed() => changes.Writer.TryWrite(true);
        // Until the browser leaves or the silo stops: an open stream must not hold a stopping silo for its shutdown timeout.
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(
            context.RequestAborted, context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        var cancellationToken = ended.Token;
        try
        {
            await response.Body.FlushAsync(cancellationToken);
            changes.Writer.TryWrite(true);
            while (!cancellationToken.IsCancellationRequested)
            {
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                wait.CancelAfter(s_keepAlive);
                bool changed;
                try
                {
                    changed = await changes.Reader.WaitToReadAsync(wait.Token) && changes.Reader.TryRead(out _);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    await response.WriteAsync(": keep-alive\n\n", cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                    continue;
                }

                if (changed)
                {
                    var fragments = await render(Changed, cancellationToken);
                    await response.WriteAsync($"data: {JsonSerializer.Serialize(new { fragments })}\n\n", cancellationToken);
                    await response.Body.FlushAsync(cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The browser left, or the silo is stopping.
        }
        finally
        {
            foreach (var watch in watches)
            {
                watch.Dispose();
            }
        }
    }
}
