namespace Router.WebFront.Completions;

/// <summary>
/// Marks an endpoint that streams an answer for as long as its handler runs: the web front's
/// stream ceiling (<c>WebFront:MaxConcurrentStreams</c>) counts these, whichever API they serve.
/// </summary>
public sealed class GeneratesAnswer
{
    public static readonly GeneratesAnswer Instance = new();

    private GeneratesAnswer()
    {
    }
}

/// <summary>Adds <see cref="GeneratesAnswer"/> to an endpoint.</summary>
public static class GeneratesAnswerExtensions
{
    public static TBuilder Generates<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(GeneratesAnswer.Instance);
}
