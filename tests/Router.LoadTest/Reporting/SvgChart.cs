using System.Globalization;
using System.Net;
using System.Text;

namespace Router.LoadTest.Reporting;

/// <summary>One line of a chart; a null Y breaks the line (no data in that second).</summary>
internal sealed record ChartSeries(string Name, string Color, IReadOnlyList<(double X, double? Y)> Points, bool Dashed = false);

/// <summary>Optional x-axis mapping (e.g. the log tail scale of a percentile chart) with its own tick labels.</summary>
internal sealed record XAxis(Func<double, double> Map, IReadOnlyList<(double X, string Label)> Ticks);

/// <summary>Line charts as inline SVG: no scripts, no external resources, readable when printed.</summary>
internal static class SvgChart
{
    private const int Width = 900;
    private const int Height = 300;
    private const int Left = 64;
    private const int Right = 16;
    private const int Top = 34;
    private const int Bottom = 44;
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Line(string title, string xLabel, string yLabel, IReadOnlyList<ChartSeries> series, XAxis? xAxis = null)
    {
        var map = xAxis?.Map ?? (x => x);
        var points = series.SelectMany(s => s.Points).Where(p => p.Y is not null).ToArray();
        var b = new StringBuilder();
        b.Append(Inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"{E(title)}\">");
        b.Append(Inv, $"<text x=\"{Left}\" y=\"18\" class=\"title\">{E(title)}</text>");
        if (points.Length == 0)
        {
            b.Append(Inv, $"<text x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\" class=\"axis\">no data</text></svg>");
            return b.ToString();
        }

        var xMin = xAxis is null ? Math.Min(0, points.Min(p => p.X)) : map(xAxis.Ticks.Min(t => t.X));
        var xMax = xAxis is null ? points.Max(p => p.X) : map(xAxis.Ticks.Max(t => t.X));
        if (xMax <= xMin)
        {
            xMax = xMin + 1;
        }

        var (yMax, yStep) = NiceScale(points.Max(p => p.Y!.Value));
        var plotW = Width - Left - Right;
        var plotH = Height - Top - Bottom;
        double Px(double x) => Left + ((map(x) - xMin) / (xMax - xMin) * plotW);
        double Py(double y) => Top + plotH - (y / yMax * plotH);

        // Grid and y ticks.
        for (var y = 0.0; y <= yMax + (yStep / 2); y += yStep)
        {
            var py = Py(y);
            b.Append(Inv, $"<line x1=\"{Left}\" y1=\"{py:0.#}\" x2=\"{Width - Right}\" y2=\"{py:0.#}\" class=\"grid\"/>");
            b.Append(Inv, $"<text x=\"{Left - 6}\" y=\"{py + 4:0.#}\" text-anchor=\"end\" class=\"axis\">{Num(y)}</text>");
        }

        // X ticks.
        var xTicks = xAxis?.Ticks ?? NiceTicks(xMin, xMax);
        foreach (var (x, label) in xTicks)
        {
            var px = Left + ((map(x) - xMin) / (xMax - xMin) * plotW);
            b.Append(Inv, $"<line x1=\"{px:0.#}\" y1=\"{Top}\" x2=\"{px:0.#}\" y2=\"{Top + plotH}\" class=\"grid\"/>");
            b.Append(Inv, $"<text x=\"{px:0.#}\" y=\"{Top + plotH + 16}\" text-anchor=\"middle\" class=\"axis\">{E(label)}</text>");
        }

        b.Append(Inv, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{plotW}\" height=\"{plotH}\" class=\"frame\"/>");
        b.Append(Inv, $"<text x=\"{Left + (plotW / 2)}\" y=\"{Height - 6}\" text-anchor=\"middle\" class=\"axis\">{E(xLabel)}</text>");
        b.Append(Inv, $"<text transform=\"translate(14 {Top + (plotH / 2)}) rotate(-90)\" text-anchor=\"middle\" class=\"axis\">{E(yLabel)}</text>");

        foreach (var s in series)
        {
            var dash = s.Dashed ? " stroke-dasharray=\"6 4\"" : "";
            foreach (var segment in Segments(s.Points))
            {
                if (segment.Count == 1)
                {
                    b.Append(Inv, $"<circle cx=\"{Px(segment[0].X):0.#}\" cy=\"{Py(segment[0].Y):0.#}\" r=\"2\" fill=\"{s.Color}\"/>");
                    continue;
                }

                b.Append(Inv, $"<polyline fill=\"none\" stroke=\"{s.Color}\" stroke-width=\"1.8\"{dash} points=\"");
                foreach (var (x, y) in segment)
                {
                    b.Append(Inv, $"{Px(x):0.#},{Py(y):0.#} ");
                }

                b.Append("\"/>");
                if (segment.Count <= 120 && s.Points.Any(p => p.Y is null))
                {
                    foreach (var (x, y) in segment)
                    {
                        b.Append(Inv, $"<circle cx=\"{Px(x):0.#}\" cy=\"{Py(y):0.#}\" r=\"2.2\" fill=\"{s.Color}\"/>");
                    }
                }
            }
        }

        // Legend along the top right.
        var lx = (double)Width - Right;
        foreach (var s in series.Reverse())
        {
            var w = 26 + (s.Name.Length * 6.6);
            lx -= w;
            var dash = s.Dashed ? " stroke-dasharray=\"6 4\"" : "";
            b.Append(Inv, $"<line x1=\"{lx:0.#}\" y1=\"14\" x2=\"{lx + 18:0.#}\" y2=\"14\" stroke=\"{s.Color}\" stroke-width=\"2.5\"{dash}/>");
            b.Append(Inv, $"<text x=\"{lx + 22:0.#}\" y=\"18\" class=\"legend\">{E(s.Name)}</text>");
        }

        b.Append("</svg>");
        return b.ToString();
    }

    /// <summary>Percentile axis: equal space for each "nine" (0, 90, 99, 99.9, 99.99), then max.</summary>
    public static XAxis PercentileAxis() => new(
        p => p >= 100 ? 4.3 : -Math.Log10(1 - (Math.Min(p, 99.99) / 100)),
        [(0, "p0"), (50, "p50"), (90, "p90"), (99, "p99"), (99.9, "p99.9"), (99.99, "p99.99"), (100, "max")]);

    // Seconds without a sample (e.g. no first token that second) are skipped, not drawn as zero:
    // the line joins the seconds that have data, and markers show where the samples are.
    private static List<List<(double X, double Y)>> Segments(IReadOnlyList<(double X, double? Y)> points)
    {
        var segment = points.Where(p => p.Y is { } v && double.IsFinite(v)).Select(p => (p.X, p.Y!.Value)).ToList();
        return segment.Count == 0 ? [] : [segment];
    }

    private static (double Max, double Step) NiceScale(double max)
    {
        if (max <= 0 || !double.IsFinite(max))
        {
            return (1, 0.25);
        }

        var step = NiceStep(max / 5);
        return (Math.Ceiling(max / step) * step, step);
    }

    private static List<(double X, string Label)> NiceTicks(double min, double max)
    {
        var step = NiceStep((max - min) / 8);
        var ticks = new List<(double, string)>();
        for (var x = Math.Ceiling(min / step) * step; x <= max + (step / 1000); x += step)
        {
            ticks.Add((x, Num(x)));
        }

        return ticks;
    }

    private static double NiceStep(double raw)
    {
        if (raw <= 0 || !double.IsFinite(raw))
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var f = raw / magnitude;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * magnitude;
    }

    private static string Num(double v) => Math.Abs(v) switch
    {
        >= 10_000 => (v / 1000).ToString("0.#", Inv) + "k",
        >= 10 or 0 => v.ToString("0", Inv),
        >= 1 => v.ToString("0.#", Inv),
        _ => v.ToString("0.##", Inv),
    };

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
