using Microsoft.Extensions.Options;

namespace Router.Grains.Options;

/// <summary>How generations run and how their chunks are published (configuration section <c>Generation</c>).</summary>
public sealed class GenerationOptions
{
    public const string SectionName = "Generation";

    /// <summary>
    /// After the first chunk, the least time between two chunks of one answer: tokens that come
    /// sooner are gathered into the next chunk; a token that comes later goes out at once. Tokens that
    /// arrive while a publish is in flight are always merged, so under load chunks grow on their own.
    /// 10 ms touches only models faster than 100 tokens/s (their chunks then carry several tokens) and
    /// halves the chunks, and so the per-chunk work, of such an answer (docs/BENCHMARKS.md, CPU per token).
    /// </summary>
    public TimeSpan CoalesceWindow { get; set; } = TimeSpan.FromMilliseconds(10);

    /// <summary>The gathering window when the silo is busy (see <see cref="BusyGenerations"/>).</summary>
    public TimeSpan MaxCoalesceWindow { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How many generations running on one silo count as busy: the window grows linearly up to this many.</summary>
    public int BusyGenerations { get; set; } = 1000;

    /// <summary>How many finished turns a session keeps and sends to the model as context.</summary>
    public int MaxTurns { get; set; } = 10;

    /// <summary>
    /// Memory one answer's replay log may take (its items, kept for a resume); an answer past it
    /// can no longer be resumed, but streams on as usual.
    /// </summary>
    public long ReplayLogBytes { get; set; } = 1024 * 1024;

    /// <summary>Memory the replay logs of finished answers may take on one silo, together; the oldest go first.</summary>
    public long ReplayCacheBytes { get; set; } = 64 * 1024 * 1024;

    /// <summary>
    /// Memory the replay logs of running answers may take on one silo, together: an answer whose log
    /// would pass it drops its log (it can no longer be resumed) and streams on.
    /// </summary>
    public long RunningReplayBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>The most tokens one answer may have, whatever the client asked (the backend's output limit is at most this).</summary>
    public int MaxOutputTokens { get; set; } = 32 * 1024;

    /// <summary>The most UTF-8 bytes of text, thinking and tool-call arguments one answer may have.</summary>
    public long MaxOutputBytes { get; set; } = 1024 * 1024;

    /// <summary>The longest one generation may run. An answer cut by any of these caps ends normally with finish reason <c>length</c>.</summary>
    public TimeSpan MaxGenerationTime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Backend updates read ahead of the publisher, per answer: a backend faster than the stream
    /// waits (the answer is not gathered whole in the silo's memory).
    /// </summary>
    public int ReadAheadPieces { get; set; } = 1024;

    /// <summary>The most bytes of text (both sides) a session keeps as its conversation; the oldest turns go first.</summary>
    public long MaxHistoryBytes { get; set; } = 64 * 1024;

    /// <summary>How long a turn stays in a session's conversation.</summary>
    public TimeSpan HistoryRetention { get; set; } = TimeSpan.FromDays(7);
}

/// <summary>Checks <see cref="GenerationOptions"/> at start-up.</summary>
public sealed class GenerationOptionsValidator : IValidateOptions<GenerationOptions>
{
    public ValidateOptionsResult Validate(string? name, GenerationOptions options)
    {
        var failures = new List<string>();
        if (options.CoalesceWindow < TimeSpan.Zero || options.CoalesceWindow > TimeSpan.FromSeconds(1))
        {
            failures.Add("Generation:CoalesceWindow must be between 0 and 1 second.");
        }

        if (options.MaxCoalesceWindow < options.CoalesceWindow || options.MaxCoalesceWindow > TimeSpan.FromSeconds(1))
        {
            failures.Add("Generation:MaxCoalesceWindow must be between Generation:CoalesceWindow and 1 second.");
        }

        if (options.BusyGenerations < 1) failures.Add("Generation:BusyGenerations must be at least 1.");

        if (options.MaxTurns < 0) failures.Add("Generation:MaxTurns must not be negative.");
        if (options.ReplayLogBytes < 1024) failures.Add("Generation:ReplayLogBytes must be at least 1024.");
        if (options.ReplayCacheBytes < options.ReplayLogBytes) failures.Add("Generation:ReplayCacheBytes must be at least Generation:ReplayLogBytes.");
        if (options.RunningReplayBytes < options.ReplayLogBytes) failures.Add("Generation:RunningReplayBytes must be at least Generation:ReplayLogBytes.");
        if (options.MaxOutputTokens < 1) failures.Add("Generation:MaxOutputTokens must be at least 1.");
        if (options.MaxOutputBytes < 1024) failures.Add("Generation:MaxOutputBytes must be at least 1024.");
        if (options.MaxGenerationTime <= TimeSpan.Zero) failures.Add("Generation:MaxGenerationTime must be positive.");
        if (options.ReadAheadPieces < 1) failures.Add("Generation:ReadAheadPieces must be at least 1.");
        if (options.MaxHistoryBytes < 0) failures.Add("Generation:MaxHistoryBytes must not be negative.");
        if (options.HistoryRetention <= TimeSpan.Zero) failures.Add("Generation:HistoryRetention must be positive.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
