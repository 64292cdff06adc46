namespace Router.LoadTest.Running;

/// <summary>
/// One second of a run, for the live progress line and the over-time charts. Latencies are of the
/// requests whose first token (TTFT) or end (total) fell in that second; null when there were none.
/// </summary>
internal sealed record SeriesPoint(
    double T,
    double IntervalSeconds,
    long Active,
    long Completed,
    long Errors,
    double RequestsPerSecond,
    double ErrorsPerSecond,
    double ChunksPerSecond,
    int TtftCount,
    double? TtftP50,
    double? TtftP99,
    double? TtftMax,
    double? TotalP50,
    double? TotalP99);
