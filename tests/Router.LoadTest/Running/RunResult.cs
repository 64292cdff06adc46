using Router.LoadTest.Clients;

namespace Router.LoadTest.Running;

/// <summary>Raw outcome of one run: every counted request plus the per-second series.</summary>
internal sealed record RunResult(
    string Target,
    Uri Endpoint,
    string Load,
    DateTimeOffset StartedAt,
    double WallSeconds,
    IReadOnlyList<RequestRecord> Records,
    IReadOnlyList<SeriesPoint> Series,
    long Skipped,
    bool Interrupted);
