using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

using HttpResults = Microsoft.AspNetCore.Http.Results;

namespace Kernelsmith.Silo.Dashboard;

/// <summary>The dashboard's HTML: every text encoded, one page layout, the few number formats the pages share.</summary>
public static class Html
{
    /// <summary>Text made safe for an element or an attribute.</summary>
    public static string E(string? text) => HtmlEncoder.Default.Encode(text ?? "");

    /// <summary>A path segment made safe for a URL.</summary>
    public static string U(string text) => Uri.EscapeDataString(text);

    public static string N(double value, string format = "0.##") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    public static string Duration(TimeSpan? span) => span switch
    {
        null => "–",
        { TotalHours: >= 1 } s => $"{(int)s.TotalHours} h {s.Minutes:00} min",
        { TotalMinutes: >= 1 } s => $"{(int)s.TotalMinutes} min {s.Seconds:00} s",
        { } s => $"{s.Seconds} s",
    };

    /// <summary>
    /// A whole page: landmarks (header with navigation, main, footer), the stylesheet and script served by the silo, and,
    /// when <paramref name="live"/> is given, the event stream the script applies to the page.
    /// </summary>
    public static string Page(string title, string active, string body, string? user, string? live = null)
    {
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(title)).Append(" · Kernelsmith</title>")
            .Append("<link rel=\"icon\" href=\"data:,\"><link rel=\"stylesheet\" href=\"/assets/dashboard.css\">")
            .Append("<script src=\"/assets/dashboard.js\" defer></script></head><body>")
            .Append("<a class=\"skip\" href=\"#main\">Skip to content</a><header><nav aria-label=\"Dashboard\"><span class=\"brand\">Kernelsmith</span>");
        if (user is not null)
        {
            // Signed out, the page (the login) links nowhere: every other page would only send the browser back to it.
            page.Append("<ul>");
            foreach (var (href, label) in new[] { ("/", "Sweeps"), ("/cluster", "Cluster"), ("/orleans/", "Orleans") })
            {
                page.Append("<li><a href=\"").Append(href).Append('"').Append(label == active ? " aria-current=\"page\"" : "").Append('>').Append(label).Append("</a></li>");
            }

            page.Append("</ul>");
            page.Append("<form method=\"post\" action=\"/logout\" class=\"logout\"><span>").Append(E(user))
                .Append("</span> <button type=\"submit\">Sign out</button></form>");
        }

        page.Append("</nav></header><main id=\"main\"").Append(live is null ? "" : $" data-live=\"{E(live)}\"").Append('>')
            .Append("<h1>").Append(E(title)).Append("</h1>").Append(body)
            .Append("</main><footer><p>Kernelsmith ").Append(E(KernelsmithVersion.Current)).Append("</p></footer></body></html>");
        return page.ToString();
    }

    /// <summary>A table with a caption, column headers and rows of ready-made cells, scrolling sideways on a narrow screen.</summary>
    public static string Table(string caption, IEnumerable<string> headers, IEnumerable<string> rows, string? bodyId = null) =>
        $"<div class=\"scroll\" tabindex=\"0\" role=\"region\" aria-label=\"{E(caption)}\"><table><caption>{E(caption)}</caption><thead><tr>"
        + string.Concat(headers.Select(h => $"<th scope=\"col\">{E(h)}</th>"))
        + $"</tr></thead><tbody{(bodyId is null ? "" : $" id=\"{bodyId}\"")}>" + string.Concat(rows) + "</tbody></table></div>";

    /// <summary>An HTML result with the dashboard's headers: never cached, never framed by another site.</summary>
    public static IResult Result(string html) => HttpResults.Content(html, "text/html; charset=utf-8");
}
