using ScottPlot;

namespace Kernelsmith.Results.Reports;

/// <summary>A line of a plot: x and y values, and whether it is a reference (drawn dashed, without markers).</summary>
public sealed record PlotSeries(string Label, IReadOnlyList<double> X, IReadOnlyList<double> Y, bool Reference = false)
{
    /// <summary>Each point's 95 % interval, drawn as an error bar; null for lines without one.</summary>
    public IReadOnlyList<(double Low, double High)>? Intervals { get; init; }

    /// <summary>A note written beside each point that has one (e.g. "superlinear"), so nothing odd is drawn silently.</summary>
    public IReadOnlyList<string?>? Notes { get; init; }
}

/// <summary>The report's plots, drawn with ScottPlot and saved as PNG and SVG under <c>plots/</c>.</summary>
public sealed class Plots(string resultsPath)
{
    private const string Font = "DejaVu Sans";
    private readonly string _folder = Path.Combine(resultsPath, ReportPlot.Folder);

    /// <summary>Lines against thread/rank counts, one per series; the x ticks are exactly the counts measured.</summary>
    public ReportPlot Lines(string name, string title, string xLabel, string yLabel, IReadOnlyList<PlotSeries> series)
    {
        var plot = NewPlot(title);
        var palette = new ScottPlot.Palettes.Category10();
        var index = 0;
        foreach (var line in series)
        {
            var scatter = plot.Add.Scatter(line.X.ToArray(), line.Y.ToArray());
            scatter.LegendText = line.Label;
            if (line.Reference)
            {
                scatter.Color = Colors.Gray;
                scatter.LinePattern = LinePattern.Dashed;
                scatter.MarkerSize = 0;
            }
            else
            {
                scatter.Color = palette.GetColor(index++);
                scatter.LineWidth = 2;
                scatter.MarkerSize = 7;
                foreach (var ((low, high), n) in (line.Intervals ?? []).Select((interval, n) => (interval, n)))
                {
                    // An error bar: the point's 95 % interval as a vertical segment in the line's colour.
                    var bar = plot.Add.Line(line.X[n], low, line.X[n], high);
                    bar.Color = scatter.Color;
                    bar.LineWidth = 1.5f;
                    bar.MarkerSize = 0;
                }

                foreach (var (note, n) in (line.Notes ?? []).Select((note, n) => (note, n)).Where(p => p.note is not null))
                {
                    var text = plot.Add.Text(note!, line.X[n], line.Y[n]);
                    text.LabelFontSize = 11;
                    text.LabelFontName = Font;
                    text.LabelFontColor = scatter.Color;
                    text.LabelAlignment = Alignment.LowerLeft;
                }
            }
        }

        var counts = series.SelectMany(s => s.X).Distinct().Order().ToArray();
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(counts, counts.Select(c => c.ToString("G", System.Globalization.CultureInfo.InvariantCulture)).ToArray());
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        var top = series.SelectMany(s => s.Y.Concat(s.Intervals?.Select(i => i.High) ?? [])).DefaultIfEmpty(1).Max();
        plot.Axes.SetLimitsY(0, top * 1.1 + 1e-9);
        plot.ShowLegend(Edge.Right);
        return Save(plot, name, title, 900, 420);
    }

    /// <summary>Red through yellow to green: for shares where more is better (correct samples).</summary>
    public static readonly IReadOnlyList<Color> Good = [Color.FromHex("#d73027"), Color.FromHex("#fee08b"), Color.FromHex("#1a9850")];

    /// <summary>White to dark red: for shares where more is worse (errors met); nothing met stays white.</summary>
    public static readonly IReadOnlyList<Color> Bad = [Colors.White, Color.FromHex("#f4a582"), Color.FromHex("#b2182b")];

    /// <summary>
    /// A coloured grid, rows top to bottom: each cell is shaded along <paramref name="scale"/> by its value in [0, 1]
    /// (light grey when null) and its text is written on it, so the matrix reads without a colour bar.
    /// </summary>
    public ReportPlot Matrix(string name, string title, IReadOnlyList<string> rows, IReadOnlyList<string> columns, double?[,] values, string[,] labels, IReadOnlyList<Color> scale)
    {
        var plot = NewPlot(title);
        for (var r = 0; r < rows.Count; r++)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                var y = rows.Count - 1 - r;
                var rectangle = plot.Add.Rectangle(c, c + 1, y, y + 1);
                var fill = values[r, c] is { } v ? Shade(scale, v) : Color.FromHex("#eeeeee");
                rectangle.FillColor = fill;
                rectangle.LineColor = Colors.White;
                rectangle.LineWidth = 2;
                var text = plot.Add.Text(labels[r, c], c + 0.5, y + 0.5);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = 13;
                text.LabelFontName = Font;
                text.LabelFontColor = (0.299 * fill.R) + (0.587 * fill.G) + (0.114 * fill.B) > 140 ? Colors.Black : Colors.White;
            }
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            columns.Select((_, c) => c + 0.5).ToArray(), columns.ToArray());
        plot.Axes.Left.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            rows.Select((_, r) => rows.Count - 1 - r + 0.5).ToArray(), rows.ToArray());
        plot.Axes.Bottom.TickLabelStyle.Rotation = 30;
        plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.UpperLeft;
        var longest = columns.Select(c => c.Length).DefaultIfEmpty(0).Max();
        // Labels slanted by 30 degrees reach down half their length and right almost all of it.
        plot.Axes.Bottom.MinimumSize = (float)(25 + (longest * 3.0));
        plot.Axes.Right.MinimumSize = (float)Math.Max(20, (longest * 5.8) - 75);
        plot.Axes.SetLimits(0, columns.Count, 0, rows.Count);
        plot.HideGrid();
        var width = 60 + (rows.Select(r => r.Length).DefaultIfEmpty(0).Max() * 7) + (150 * columns.Count) + (int)plot.Axes.Right.MinimumSize;
        var height = 120 + (int)plot.Axes.Bottom.MinimumSize + (44 * rows.Count);
        return Save(plot, name, title, width, height);
    }

    private static Color Shade(IReadOnlyList<Color> scale, double value)
    {
        var position = Math.Clamp(value, 0, 1) * (scale.Count - 1);
        var low = Math.Min((int)position, scale.Count - 2);
        var t = position - low;
        byte Mix(byte a, byte b) => (byte)Math.Round(a + ((b - a) * t));
        return new Color(Mix(scale[low].R, scale[low + 1].R), Mix(scale[low].G, scale[low + 1].G), Mix(scale[low].B, scale[low + 1].B));
    }

    private static Plot NewPlot(string title)
    {
        var plot = new Plot();
        plot.Font.Set(Font);
        plot.Title(title);
        return plot;
    }

    private ReportPlot Save(Plot plot, string name, string title, int width, int height)
    {
        Directory.CreateDirectory(_folder);
        var result = new ReportPlot(name, title, "");
        plot.SavePng(Path.Combine(_folder, $"{name}.png"), width, height);
        var svg = Path.Combine(_folder, $"{name}.svg");
        plot.SaveSvg(svg, width, height);
        return result with { Svg = File.ReadAllText(svg) };
    }
}
