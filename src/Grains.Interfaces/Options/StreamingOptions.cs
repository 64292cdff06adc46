using Microsoft.Extensions.Options;

namespace Router.Grains.Options;

/// <summary>
/// The lane stream provider (configuration section <c>Streaming</c>): in-process queues that each
/// silo's pulling agents read, waiting for data instead of polling on a short timer.
/// </summary>
public sealed class StreamingOptions
{
    public const string SectionName = "Streaming";

    /// <summary>How many queues (partitions) each silo has; also how many lanes each web front subscribes.</summary>
    public int Queues { get; set; } = 8;

    /// <summary>How long an empty queue's reader waits for data before it returns to the pulling agent.</summary>
    public TimeSpan ReceiveWait { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The pulling agent's pause between two reads that found nothing (each read already waited <see cref="ReceiveWait"/>).</summary>
    public TimeSpan PollPeriod { get; set; } = TimeSpan.FromMilliseconds(1);

    /// <summary>How many queued batches a pulling agent delivers to a consumer in one call.</summary>
    public int BatchSize { get; set; } = 32;

    /// <summary>Publishes a queue holds before it refuses more (the publish then fails with stream_overloaded).</summary>
    public int QueueCapacity { get; set; } = 16_384;

    /// <summary>Items a queue's cache holds until every subscriber has read them.</summary>
    public int CacheSize { get; set; } = 4_096;
}

/// <summary>Checks <see cref="StreamingOptions"/> at start-up.</summary>
public sealed class StreamingOptionsValidator : IValidateOptions<StreamingOptions>
{
    public ValidateOptionsResult Validate(string? name, StreamingOptions options)
    {
        var failures = new List<string>();
        if (options.Queues is < 1 or > 256) failures.Add("Streaming:Queues must be between 1 and 256.");
        if (options.ReceiveWait <= TimeSpan.Zero) failures.Add("Streaming:ReceiveWait must be positive.");
        if (options.PollPeriod <= TimeSpan.Zero) failures.Add("Streaming:PollPeriod must be positive.");
        if (options.BatchSize < 1) failures.Add("Streaming:BatchSize must be at least 1.");
        if (options.QueueCapacity < 16) failures.Add("Streaming:QueueCapacity must be at least 16.");
        if (options.CacheSize < 16) failures.Add("Streaming:CacheSize must be at least 16.");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
