using Router.LoadTest.Clients;
using Router.LoadTest.Running;

namespace Router.LoadTest.Reporting;

/// <summary>
/// The numbers of one run, as printed, written to JSON and charted. Latency distributions are over
/// requests that ended with done; throughput is over the window from the first counted request's
/// start to the last one's end.
/// </summary>
internal sealed record RunSummary(
    string Target,
    string Endpoint,
    string Load,
    DateTimeOffset StartedAt,
    double WallSeconds,
    double WindowSeconds,
    bool Interrupted,
    long Requests,
    long Done,
    long Errors,
    double ErrorRate,
    long Skipped,
    IReadOnlyDictionary<string, long> Outcomes,
    IReadOnlyDictionary<string, string> ErrorSamples,
    IReadOnlyDictionary<string, long> Models,
    double RequestsPerSecond,
    double TokensPerSecond,
    double ChunksPerSecond,
    Distribution? TtftMs,
    Distribution? ChunkGapMs,
    Distribution? TotalMs,
    Distribution? TokensPerRequest,
    Distribution? ServerProcessingMs,
    IReadOnlyList<PercentilePoint> TtftCurve,
    IReadOnlyList<PercentilePoint> TotalCurve,
    IReadOnlyList<SeriesPoint> Series)
{
    public static RunSummary From(RunResult run)
    {
        var records = run.Records;
        var done = records.Where(r => r.Outcome == OutcomeKind.Done).ToArray();
        var errors = records.Count - done.Length;
        var window = records.Count == 0
            ? 0
            : RequestRecord.Ms(records.Max(r => r.EndTicks) - records.Min(r => r.StartTicks)) / 1000.0;

        return new RunSummary(
            run.Target,
            run.Endpoint.AbsoluteUri,
            run.Load,
            run.StartedAt,
            Math.Round(run.WallSeconds, 3),
            Math.Round(window, 3),
            run.Interrupted,
            records.Count,
            done.Length,
            errors,
            records.Count == 0 ? 0 : Math.Round((double)errors / records.Count, 5),
            run.Skipped,
            records.GroupBy(r => r.OutcomeKey).OrderByDescending(g => g.Count()).ToDictionary(g => g.Key, g => (long)g.Count()),
            records.Where(r => r.IsError).GroupBy(r => r.OutcomeKey)
                .ToDictionary(g => g.Key, g => g.Select(r => r.Detail).FirstOrDefault(d => !string.IsNullOrWhiteSpace(d)) ?? ""),
            done.GroupBy(r => r.Model ?? "(none)").ToDictionary(g => g.Key, g => (long)g.Count()),
            Rate(done.Length, window),
            Rate(records.Sum(r => (long)r.Tokens), window),
            Rate(records.Sum(r => (long)r.Chunks), window),
            Distribution.From(done.Select(r => r.TtftMs)),
            Distribution.From(done.SelectMany(r => r.Gaps).Select(g => (double)g)),
            Distribution.From(done.Select(r => r.TotalMs)),
            Distribution.From(done.Select(r => (double)r.Tokens)),
            Distribution.From(done.Where(r => r.ServerProcessingMs >= 0).Select(r => r.ServerProcessingMs)),
            Distribution.Curve(done.Select(r => r.TtftMs)),
            Distribution.Curve(done.Select(r => r.TotalMs)),
            run.Series);
    }

    private static double Rate(double count, double seconds) => seconds <= 0 ? 0 : Math.Round(count / seconds, 2);
}
