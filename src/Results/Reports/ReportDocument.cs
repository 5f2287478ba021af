namespace Kernelsmith.Results.Reports;

/// <summary>The content of a report, rendered the same way to Markdown and to HTML.</summary>
public sealed record ReportDocument(string Title, IReadOnlyList<string> Notes, IReadOnlyList<ReportSection> Sections);

/// <summary>A titled part of the report: its conventions first, then its tables and plots.</summary>
public sealed record ReportSection(string Title, IReadOnlyList<string> Notes, IReadOnlyList<ReportTable> Tables, IReadOnlyList<ReportPlot> Plots)
{
    public ReportSection(string title, IReadOnlyList<string> notes, params ReportTable[] tables)
        : this(title, notes, tables, [])
    {
    }
}

/// <summary>A table; a column whose cells are all numbers (or empty) is right-aligned.</summary>
public sealed record ReportTable(string? Caption, IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<ReportCell>> Rows);

/// <summary>One cell: text, optionally a relative link, optionally shown as code.</summary>
public sealed record ReportCell(string Text, string? Link = null, bool Code = false)
{
    public static implicit operator ReportCell(string text) => new(text);
}

/// <summary>A plot written as <c>plots/NAME.png</c> and <c>plots/NAME.svg</c>.</summary>
public sealed record ReportPlot(string Name, string Title, string Svg)
{
    public const string Folder = "plots";

    public string PngPath => $"{Folder}/{Name}.png";

    public string SvgPath => $"{Folder}/{Name}.svg";
}
