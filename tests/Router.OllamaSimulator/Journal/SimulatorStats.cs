namespace Router.OllamaSimulator;

/// <summary>Counters since start or the last reset (except <see cref="ActiveStreams"/>, which is always live).</summary>
public sealed record SimulatorStats(
    int ActiveStreams,
    long Total,
    long Completed,
    long Disconnected,
    long Faulted,
    long Cut,
    long Stalled);
