using System.Globalization;
using System.Net;
using System.Text;

namespace Router.LoadTest.Reporting;

/// <summary>
/// The <c>--html</c> page: summary tables and charts of latency percentiles and throughput over time,
/// self-contained (inline CSS and SVG, no scripts, no external resources).
/// </summary>
internal static class HtmlReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    // Per run: a strong colour for p50 / throughput and a lighter one for p99.
    private static readonly (string Main, string Tail)[] Palette =
    [
        ("#1f6fb4", "#79b4e3"),
        ("#d0471f", "#f2a07f"),
        ("#2a9d4a", "#8fd19e"),
        ("#7b4fb0", "#c1a6e3"),
    ];

    public static string Render(IReadOnlyList<RunSummary> runs, OverheadComparison? overhead)
    {
        var b = new StringBuilder();
        var title = overhead is null ? $"Load test: {string.Join(", ", runs.Select(r => r.Target))}" : "Load test: router overhead over direct";
        b.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>").Append(E(title)).Append("</title><style>");
        b.Append("""
            body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:960px;color:#222;padding:0 12px}
            h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #ddd;padding-bottom:4px}
            .meta{color:#666;margin:0 0 12px}table{border-collapse:collapse;margin:8px 0 12px}
            th,td{padding:3px 10px;border-bottom:1px solid #eee;text-align:right;font-variant-numeric:tabular-nums}
            th:first-child,td:first-child{text-align:left}th{background:#f6f6f6;font-weight:600}
            .bad{color:#b00020;font-weight:600}.good{color:#1b7a32}
            svg{display:block;margin:10px 0 18px;max-width:100%;height:auto;background:#fff}
            svg .grid{stroke:#e6e6e6;stroke-width:1}svg .frame{fill:none;stroke:#999}
            svg text{font:11px system-ui,sans-serif;fill:#444}svg .title{font-size:13px;font-weight:600;fill:#222}
            svg .legend{font-size:11px;fill:#222}code{background:#f3f3f3;padding:1px 4px;border-radius:3px}
            """);
        b.Append("</style></head><body>");
        b.Append("<h1>").Append(E(title)).Append("</h1>");
        b.Append(Inv, $"<p class=\"meta\">Started {runs[0].StartedAt:yyyy-MM-dd HH:mm:ss}Z · {E(runs[0].Load)}</p>");

        if (overhead is not null)
        {
            AppendOverhead(b, overhead);
        }

        foreach (var run in runs)
        {
            AppendRun(b, run);
        }

        AppendCharts(b, runs);
        b.Append("<p class=\"meta\">TTFT: from just before sending the request to the first non-empty token chunk. Latencies over requests that ended with done; per-second points over requests whose first token (TTFT) or end (total) fell in that second.</p>");
        b.Append("</body></html>");
        return b.ToString();
    }

    private static void AppendOverhead(StringBuilder b, OverheadComparison c)
    {
        b.Append("<h2>Router overhead (router − direct)</h2><table><tr><th>metric</th><th>direct</th><th>router</th><th>added</th><th>ratio</th></tr>");
        foreach (var r in c.Rows)
        {
            var name = r.Unit.Length > 0 ? $"{r.Metric} ({r.Unit})" : r.Metric;
            Func<double?, string> n = r.Unit.Length > 0 ? N : v => v is { } c ? c.ToString("0", Inv) : "–";
            var added = r.Added is { } a ? (a >= 0 ? "+" : "") + n(a) : "–";
            b.Append(Inv, $"<tr><td>{E(name)}</td><td>{n(r.Direct)}</td><td>{n(r.Router)}</td><td>{added}</td><td>{(r.Ratio is { } x ? x.ToString("0.00", Inv) + "×" : "–")}</td></tr>");
        }

        b.Append("</table>");
    }

    private static void AppendRun(StringBuilder b, RunSummary s)
    {
        b.Append(Inv, $"<h2>{E(s.Target)} — <code>{E(s.Endpoint)}</code>{(s.Interrupted ? " (interrupted)" : "")}</h2>");
        var errClass = s.Errors > 0 ? "bad" : "good";
        b.Append(Inv, $"<p>{s.Requests} requests counted: {s.Done} done, <span class=\"{errClass}\">{s.Errors} errors ({s.ErrorRate * 100:0.##}%)</span>");
        if (s.Skipped > 0)
        {
            b.Append(Inv, $", {s.Skipped} arrivals skipped");
        }

        b.Append(Inv, $" in a {s.WindowSeconds:0.0}s window · <b>{s.RequestsPerSecond:0.0} req/s</b>, <b>{s.TokensPerSecond:0} tokens/s</b> ({s.ChunksPerSecond:0} chunks/s)</p>");
        b.Append("<table><tr><th></th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th><th>mean</th><th>n</th></tr>");
        Row(b, "TTFT (ms)", s.TtftMs);
        Row(b, "chunk gap (ms)", s.ChunkGapMs);
        Row(b, "total (ms)", s.TotalMs);
        Row(b, "tokens / request", s.TokensPerRequest);
        Row(b, "server processing (ms)", s.ServerProcessingMs);
        b.Append("</table>");

        b.Append("<table><tr><th>outcome</th><th>count</th><th style=\"text-align:left\">example</th></tr>");
        foreach (var (kind, count) in s.Outcomes)
        {
            var sample = s.ErrorSamples.TryGetValue(kind, out var d) ? d : "";
            var cls = kind == "done" ? "good" : "bad";
            b.Append(Inv, $"<tr><td class=\"{cls}\">{E(kind)}</td><td>{count}</td><td style=\"text-align:left\">{E(sample.Length > 200 ? sample[..200] + "…" : sample)}</td></tr>");
        }

        b.Append("</table>");
    }

    private static void AppendCharts(StringBuilder b, IReadOnlyList<RunSummary> runs)
    {
        b.Append("<h2>Over time</h2>");
        var ttft = new List<ChartSeries>();
        var rps = new List<ChartSeries>();
        var tokens = new List<ChartSeries>();
        var active = new List<ChartSeries>();
        var total = new List<ChartSeries>();
        var ttftCurve = new List<ChartSeries>();
        var totalCurve = new List<ChartSeries>();
        for (var i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            var (main, tail) = Palette[i % Palette.Length];
            var pts = run.Series;
            ttft.Add(new ChartSeries($"{run.Target} p50", main, [.. pts.Select(p => (p.T, p.TtftP50))]));
            ttft.Add(new ChartSeries($"{run.Target} p99", tail, [.. pts.Select(p => (p.T, p.TtftP99))], Dashed: true));
            total.Add(new ChartSeries($"{run.Target} p50", main, [.. pts.Select(p => (p.T, p.TotalP50))]));
            total.Add(new ChartSeries($"{run.Target} p99", tail, [.. pts.Select(p => (p.T, p.TotalP99))], Dashed: true));
            rps.Add(new ChartSeries($"{run.Target} completed", main, [.. pts.Select(p => (p.T, (double?)p.RequestsPerSecond))]));
            if (pts.Any(p => p.ErrorsPerSecond > 0))
            {
                rps.Add(new ChartSeries($"{run.Target} errors", tail, [.. pts.Select(p => (p.T, (double?)p.ErrorsPerSecond))], Dashed: true));
            }

            tokens.Add(new ChartSeries(run.Target, main, [.. pts.Select(p => (p.T, (double?)p.ChunksPerSecond))]));
            active.Add(new ChartSeries(run.Target, main, [.. pts.Select(p => (p.T, (double?)p.Active))]));
            ttftCurve.Add(new ChartSeries(run.Target, main, [.. run.TtftCurve.Select(p => (p.Percentile, (double?)p.Value))]));
            totalCurve.Add(new ChartSeries(run.Target, main, [.. run.TotalCurve.Select(p => (p.Percentile, (double?)p.Value))]));
        }

        const string t = "seconds since start of run";
        b.Append(SvgChart.Line("Time to first token per second (p50, p99)", t, "ms", ttft));
        b.Append(SvgChart.Line("Throughput: requests completed per second", t, "requests/s", rps));
        b.Append(SvgChart.Line("Tokens received per second", t, "tokens/s", tokens));
        b.Append(SvgChart.Line("Active streams", t, "streams", active));
        b.Append(SvgChart.Line("Total request time per second (p50, p99)", t, "ms", total));
        b.Append("<h2>Latency distribution</h2>");
        b.Append(SvgChart.Line("Time to first token by percentile", "percentile", "ms", ttftCurve, SvgChart.PercentileAxis()));
        b.Append(SvgChart.Line("Total request time by percentile", "percentile", "ms", totalCurve, SvgChart.PercentileAxis()));
    }

    private static void Row(StringBuilder b, string name, Distribution? d)
    {
        if (d is null)
        {
            b.Append(Inv, $"<tr><td>{E(name)}</td><td colspan=\"7\" style=\"text-align:left\">–</td></tr>");
            return;
        }

        b.Append(Inv, $"<tr><td>{E(name)}</td><td>{N(d.P50)}</td><td>{N(d.P90)}</td><td>{N(d.P99)}</td><td>{N(d.P999)}</td><td>{N(d.Max)}</td><td>{N(d.Mean)}</td><td>{d.Count}</td></tr>");
    }

    private static string N(double? v) => v switch
    {
        null => "–",
        { } x when Math.Abs(x) >= 100 => x.ToString("0", Inv),
        { } x when Math.Abs(x) >= 10 => x.ToString("0.0", Inv),
        { } x => x.ToString("0.00", Inv),
    };

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
