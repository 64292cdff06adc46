using System.Globalization;
using System.Text;

namespace Router.LoadTest.Reporting;

/// <summary>Plain-text summary of a run and the overhead table, for the terminal and CI logs.</summary>
internal static class ConsoleReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Format(RunSummary s)
    {
        var b = new StringBuilder();
        b.AppendLine(Inv, $"== {s.Target}  {s.Endpoint}{(s.Interrupted ? "  (interrupted)" : "")}");
        b.AppendLine(Inv, $"load        {s.Load}");
        var errorPct = s.ErrorRate * 100;
        b.AppendLine(Inv, $"requests    {s.Requests} counted: {s.Done} done, {s.Errors} errors ({errorPct:0.##}%){(s.Skipped > 0 ? $", {s.Skipped} arrivals skipped (max in flight)" : "")}; window {s.WindowSeconds:0.0}s");
        b.AppendLine(Inv, $"throughput  {s.RequestsPerSecond:0.0} req/s, {s.TokensPerSecond:0} tokens/s ({s.ChunksPerSecond:0} chunks/s)");
        b.AppendLine(Inv, $"{"",-16}{"p50",10}{"p90",10}{"p99",10}{"p99.9",10}{"max",10}{"mean",10}{"n",9}");
        Row(b, "TTFT ms", s.TtftMs);
        Row(b, "chunk gap ms", s.ChunkGapMs);
        Row(b, "total ms", s.TotalMs);
        Row(b, "tokens/request", s.TokensPerRequest);
        Row(b, "server ms", s.ServerProcessingMs);
        b.AppendLine("outcomes    " + string.Join(", ", s.Outcomes.Select(kv => $"{kv.Key} {kv.Value}")));
        foreach (var (kind, sample) in s.ErrorSamples.Where(kv => kv.Value.Length > 0))
        {
            b.AppendLine(Inv, $"  {kind}: {OneLine(sample)}");
        }

        if (s.Models.Count > 0)
        {
            b.AppendLine("models      " + string.Join(", ", s.Models.Select(kv => $"{kv.Key} {kv.Value}")));
        }

        return b.ToString();
    }

    public static string Format(OverheadComparison c)
    {
        var b = new StringBuilder();
        b.AppendLine("== overhead: router vs direct (same workload, back to back)");
        b.AppendLine(Inv, $"{"metric",-16}{"direct",12}{"router",12}{"added",12}{"ratio",9}");
        foreach (var r in c.Rows)
        {
            var name = r.Unit.Length > 0 ? $"{r.Metric} {r.Unit}" : r.Metric;
            Func<double?, string> n = r.Unit.Length > 0 ? N : Count;
            var added = r.Added is { } a ? (a >= 0 ? "+" : "") + n(a) : "-";
            b.AppendLine(Inv, $"{name,-16}{n(r.Direct),12}{n(r.Router),12}{added,12}{(r.Ratio is { } x ? x.ToString("0.00", Inv) + "x" : "-"),9}");
        }

        return b.ToString();
    }

    private static void Row(StringBuilder b, string name, Distribution? d)
    {
        if (d is null)
        {
            b.AppendLine(Inv, $"{name,-16}{"-",10}");
            return;
        }

        b.AppendLine(Inv, $"{name,-16}{N(d.P50),10}{N(d.P90),10}{N(d.P99),10}{N(d.P999),10}{N(d.Max),10}{N(d.Mean),10}{d.Count,9}");
    }

    private static string N(double? v) => v switch
    {
        null => "-",
        { } x when Math.Abs(x) >= 1000 => x.ToString("0", Inv),
        { } x when Math.Abs(x) >= 100 => x.ToString("0.0", Inv),
        { } x => x.ToString("0.00", Inv),
    };

    private static string Count(double? v) => v is { } x ? x.ToString("0", Inv) : "-";

    private static string OneLine(string s)
    {
        var t = s.ReplaceLineEndings(" ");
        return t.Length > 160 ? t[..160] + "..." : t;
    }
}
