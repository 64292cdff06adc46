namespace Router.LoadTest.Reporting;

/// <summary>One row of the side-by-side table: a metric on each side, the difference and the ratio.</summary>
internal sealed record ComparisonRow(string Metric, string Unit, double? Direct, double? Router, double? Added, double? Ratio);

/// <summary>What the router adds over calling the backend directly with the same workload.</summary>
internal sealed record OverheadComparison(IReadOnlyList<ComparisonRow> Rows)
{
    public static OverheadComparison From(RunSummary direct, RunSummary router)
    {
        var rows = new List<ComparisonRow>();
        void Add(string metric, string unit, Func<RunSummary, double?> pick)
        {
            var d = pick(direct);
            var r = pick(router);
            rows.Add(new ComparisonRow(
                metric,
                unit,
                d,
                r,
                d is { } a && r is { } b ? Math.Round(b - a, 3) : null,
                d is { } x && r is { } y && x != 0 ? Math.Round(y / x, 3) : null));
        }

        Add("TTFT p50", "ms", s => s.TtftMs?.P50);
        Add("TTFT p90", "ms", s => s.TtftMs?.P90);
        Add("TTFT p99", "ms", s => s.TtftMs?.P99);
        Add("TTFT max", "ms", s => s.TtftMs?.Max);
        Add("chunk gap p50", "ms", s => s.ChunkGapMs?.P50);
        Add("chunk gap p99", "ms", s => s.ChunkGapMs?.P99);
        Add("total p50", "ms", s => s.TotalMs?.P50);
        Add("total p99", "ms", s => s.TotalMs?.P99);
        Add("throughput", "req/s", s => s.RequestsPerSecond);
        Add("tokens", "tok/s", s => s.TokensPerSecond);
        Add("requests", "", s => s.Requests);
        Add("errors", "", s => s.Errors);
        return new OverheadComparison(rows);
    }
}
