using Microsoft.Extensions.Options;

namespace Router.Grains.Options;

/// <summary>
/// Tuning of the memory stream's pulling agent (configuration section <c>Streaming</c>). The poll
/// period is the floor of chunk latency; the Orleans default of 100 ms adds ~70 ms to the first token.
/// </summary>
public sealed class StreamingOptions
{
    public const string SectionName = "Streaming";

    /// <summary>How often each queue is polled.</summary>
    public TimeSpan PollPeriod { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>How many items a pulling agent delivers per batch.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>How many queues (partitions) the memory stream provider uses.</summary>
    public int Queues { get; set; } = 8;

    /// <summary>How long delivered items stay in the stream cache (they are replayed only to a subscription that arrives late).</summary>
    public TimeSpan CacheRetention { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an idle stream's bookkeeping (pulling agent, pub-sub grain) is kept.</summary>
    public TimeSpan StreamRetention { get; set; } = TimeSpan.FromMinutes(2);
}

/// <summary>Checks <see cref="StreamingOptions"/> at start-up.</summary>
public sealed class StreamingOptionsValidator : IValidateOptions<StreamingOptions>
{
    public ValidateOptionsResult Validate(string? name, StreamingOptions options)
    {
        var failures = new List<string>();
        if (options.PollPeriod <= TimeSpan.Zero) failures.Add("Streaming:PollPeriod must be positive.");
        if (options.BatchSize < 1) failures.Add("Streaming:BatchSize must be at least 1.");
        if (options.Queues < 1) failures.Add("Streaming:Queues must be at least 1.");
        if (options.CacheRetention < TimeSpan.FromSeconds(1)) failures.Add("Streaming:CacheRetention must be at least 1 second.");
        if (options.StreamRetention < TimeSpan.FromMinutes(1)) failures.Add("Streaming:StreamRetention must be at least 1 minute.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
