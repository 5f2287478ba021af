using System.Globalization;
using System.Text;

namespace Kernelsmith.Results.Reports;

/// <summary>Renders a report as <c>report.md</c>; plots are shown as their PNG, with a link to the SVG.</summary>
public static class MarkdownRenderer
{
    public static string Render(ReportDocument document)
    {
        var md = new StringBuilder();
        md.AppendLine(CultureInfo.InvariantCulture, $"# {document.Title}");
        md.AppendLine();
        foreach (var note in document.Notes)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"> {note}");
            md.AppendLine();
        }

        foreach (var section in document.Sections)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"## {section.Title}");
            md.AppendLine();
            foreach (var note in section.Notes)
            {
                md.AppendLine(note);
                md.AppendLine();
            }

            foreach (var table in section.Tables)
            {
                Table(md, table);
            }

            foreach (var plot in section.Plots)
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"![{plot.Title}]({plot.PngPath}) ([SVG]({plot.SvgPath}))");
                md.AppendLine();
            }
        }

        return md.ToString();
    }

    private static void Table(StringBuilder md, ReportTable table)
    {
        if (table.Caption is not null)
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"**{table.Caption}**");
            md.AppendLine();
        }

        md.AppendLine("| " + string.Join(" | ", table.Headers.Select(Escape)) + " |");
        md.AppendLine("|" + string.Join("|", Enumerable.Range(0, table.Headers.Count).Select(c => TableLayout.IsNumericColumn(table, c) ? "---:" : "---")) + "|");
        foreach (var row in table.Rows)
        {
            md.AppendLine("| " + string.Join(" | ", row.Select(Cell)) + " |");
        }

        md.AppendLine();
    }

    private static string Cell(ReportCell cell)
    {
        if (cell.Text.Length == 0)
        {
            return "";
        }

        var text = cell.Code ? $"`{cell.Text.Replace('`', '\'')}`" : Escape(cell.Text);
        return cell.Link is null ? text : $"[{text}]({cell.Link.Replace(" ", "%20", StringComparison.Ordinal)})";
    }

    private static string Escape(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("\r", "", StringComparison.Ordinal).Replace('\n', ' ');
}

/// <summary>Layout decisions shared by the renderers.</summary>
internal static class TableLayout
{
    /// <summary>A column is numeric when every non-empty cell is a number (or a dash for "undefined").</summary>
    public static bool IsNumericColumn(ReportTable table, int column)
    {
        var cells = table.Rows.Select(r => column < r.Count ? r[column].Text : "").Where(t => t is not ("" or "–")).ToList();
        return cells.Count > 0 && cells.All(t => double.TryParse(t.TrimEnd('%', '×'), NumberStyles.Float, CultureInfo.InvariantCulture, out _));
    }
}
