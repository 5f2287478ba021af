using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Kernelsmith.Results.Reports;

/// <summary>
/// Renders a report as one self-contained <c>report.html</c>: inline CSS, plots as SVG data URIs, no script and no
/// fetch of anything; its only links are relative ones to the attempts and plot files beside it.
/// </summary>
public static partial class HtmlRenderer
{
    private const string Style = """
        body { font-family: system-ui, "DejaVu Sans", sans-serif; margin: 2rem auto; max-width: 1400px; padding: 0 1rem; color: #1b1b1b; }
        h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem; border-bottom: 1px solid #ddd; }
        table { border-collapse: collapse; margin: 0.8rem 0 1.4rem; font-size: 0.85rem; }
        th, td { border: 1px solid #d0d0d0; padding: 0.25rem 0.5rem; vertical-align: top; }
        th { background: #f3f3f3; text-align: left; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
        caption { text-align: left; font-weight: bold; padding: 0.3rem 0; }
        blockquote { border-left: 4px solid #e0a800; background: #fff8e1; margin: 1rem 0; padding: 0.5rem 1rem; }
        code { font-size: 0.85em; background: #f5f5f5; padding: 0 0.2em; }
        figure { display: inline-block; margin: 0.5rem 1rem 1rem 0; } figure img { max-width: 100%; border: 1px solid #eee; }
        figcaption { font-size: 0.8rem; color: #555; }
        """;

    public static string Render(ReportDocument document)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>");
        html.AppendLine("<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.AppendLine(CultureInfo.InvariantCulture, $"<title>{Encode(document.Title)}</title>");
        html.AppendLine(CultureInfo.InvariantCulture, $"<style>{Style}</style></head><body>");
        html.AppendLine(CultureInfo.InvariantCulture, $"<h1>{Encode(document.Title)}</h1>");
        foreach (var note in document.Notes)
        {
            html.AppendLine(CultureInfo.InvariantCulture, $"<blockquote>{Inline(note)}</blockquote>");
        }

        foreach (var section in document.Sections)
        {
            html.AppendLine(CultureInfo.InvariantCulture, $"<section><h2>{Encode(section.Title)}</h2>");
            foreach (var note in section.Notes)
            {
                html.AppendLine(CultureInfo.InvariantCulture, $"<p>{Inline(note)}</p>");
            }

            foreach (var table in section.Tables)
            {
                Table(html, table);
            }

            foreach (var plot in section.Plots)
            {
                var data = Convert.ToBase64String(Encoding.UTF8.GetBytes(plot.Svg));
                html.AppendLine(CultureInfo.InvariantCulture,
                    $"<figure><img src=\"data:image/svg+xml;base64,{data}\" alt=\"{Encode(plot.Title)}\"><figcaption>{Encode(plot.Title)} (<a href=\"{plot.PngPath}\">PNG</a>, <a href=\"{plot.SvgPath}\">SVG</a>)</figcaption></figure>");
            }

            html.AppendLine("</section>");
        }

        html.AppendLine("</body></html>");
        return html.ToString();
    }

    private static void Table(StringBuilder html, ReportTable table)
    {
        var numeric = Enumerable.Range(0, table.Headers.Count).Select(c => TableLayout.IsNumericColumn(table, c)).ToArray();
        html.Append("<table>");
        if (table.Caption is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<caption>{Encode(table.Caption)}</caption>");
        }

        html.Append("<thead><tr>");
        foreach (var header in table.Headers)
        {
            html.Append(CultureInfo.InvariantCulture, $"<th>{Encode(header)}</th>");
        }

        html.AppendLine("</tr></thead><tbody>");
        foreach (var row in table.Rows)
        {
            html.Append("<tr>");
            for (var c = 0; c < row.Count; c++)
            {
                html.Append(numeric.ElementAtOrDefault(c) ? "<td class=\"num\">" : "<td>").Append(Cell(row[c])).Append("</td>");
            }

            html.AppendLine("</tr>");
        }

        html.AppendLine("</tbody></table>");
    }

    private static string Cell(ReportCell cell)
    {
        var text = cell.Code ? $"<code>{Encode(cell.Text)}</code>" : Encode(cell.Text);
        return cell.Link is null ? text : $"<a href=\"{Encode(cell.Link)}\">{text}</a>";
    }

    /// <summary>Notes are plain text with `code` spans, the one markup both renderers share.</summary>
    private static string Inline(string text) => CodeSpan().Replace(Encode(text), "<code>$1</code>");

    private static string Encode(string text) => WebUtility.HtmlEncode(text);

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();
}
