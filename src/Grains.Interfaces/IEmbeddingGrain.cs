namespace Router.Grains.Interfaces;

/// <summary>
/// Turns texts into vectors on a named model's backend (Ollama's <c>/api/embed</c>, an upstream's
/// <c>/embeddings</c>). An embedding call is short and answers at once, so unlike a generation it
/// runs inside the grain call, bounded by <see cref="Timeout"/>. A local stateless worker on every silo,
/// so a web front that is only a client of the cluster reaches the backends through it.
/// </summary>
public interface IEmbeddingGrain : IGrainWithIntegerKey
{
    /// <summary>How long one embedding call may take: below Orleans' 30 s call timeout, so the caller gets the router's error rather than the runtime's.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    /// <summary>Embeds the request's inputs on its model. Backend failures come back as a result with an error, not as an exception.</summary>
    Task<EmbeddingResult> EmbedAsync(EmbeddingRequest request, CancellationToken cancellationToken = default);
}

/// <summary>What to embed, on which model.</summary>
/// <param name="Model">A served model's name (aliases already resolved; never <c>auto</c>).</param>
/// <param name="Inputs">The texts, one vector each, in order.</param>
/// <param name="Dimensions">The vector length asked for; null for the model's own.</param>
/// <param name="Truncate">Ollama's <c>truncate</c>: cut an input past the context rather than fail; null leaves the backend's default.</param>
/// <param name="KeepAlive">Ollama's <c>keep_alive</c> as the client sent it (a duration such as <c>5m</c>, or seconds).</param>
/// <param name="OptionsJson">Ollama's <c>options</c> object as the client sent it, checked by the web front; null when absent.</param>
[GenerateSerializer, Immutable, Alias("router.embedding-request.v1")]
public sealed record EmbeddingRequest(
    [property: Id(0)] string Model,
    [property: Id(1)] IReadOnlyList<string> Inputs,
    [property: Id(2)] int? Dimensions = null,
    [property: Id(3)] bool? Truncate = null,
    [property: Id(4)] string? KeepAlive = null,
    [property: Id(5)] string? OptionsJson = null);

/// <summary>The vectors of an <see cref="EmbeddingRequest"/>, or why there are none.</summary>
/// <param name="Vectors">One vector per input, in order; empty when <paramref name="Error"/> is set.</param>
/// <param name="PromptTokens">The tokens the backend counted in the inputs, when it said.</param>
/// <param name="Error">The failure, described for the client (<see cref="ErrorCodes"/>).</param>
[GenerateSerializer, Immutable, Alias("router.embedding-result.v1")]
public sealed record EmbeddingResult(
    [property: Id(0)] IReadOnlyList<float[]> Vectors,
    [property: Id(1)] int? PromptTokens,
    [property: Id(2)] CompletionError? Error = null)
{
    /// <summary>A failure with no vectors.</summary>
    public static EmbeddingResult Failed(CompletionError error) => new([], null, error);
}
