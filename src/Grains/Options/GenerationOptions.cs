using Microsoft.Extensions.Options;

namespace Router.Grains.Options;

/// <summary>How generations run and how their chunks are published (configuration section <c>Generation</c>).</summary>
public sealed class GenerationOptions
{
    public const string SectionName = "Generation";

    /// <summary>
    /// After the first chunk, how long to wait for more tokens before publishing a chunk. Tokens that
    /// arrive while a publish is in flight are always merged, so under load chunks grow on their own.
    /// </summary>
    public TimeSpan CoalesceWindow { get; set; } = TimeSpan.FromMilliseconds(2);

    /// <summary>The gathering window when the silo is busy (see <see cref="BusyGenerations"/>).</summary>
    public TimeSpan MaxCoalesceWindow { get; set; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How many generations running on one silo count as busy: the window grows linearly up to this many.</summary>
    public int BusyGenerations { get; set; } = 1000;

    /// <summary>How many finished turns a session keeps and sends to the model as context.</summary>
    public int MaxTurns { get; set; } = 10;
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
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
